from django import forms


def add_action_errors(exc, *forms_by_prefix: tuple[str, forms.Form]) -> None:
    """Show a typed action error beside the fields it names; the rest goes above the form."""
    placed = False
    for key, messages in exc.errors.items():
        for prefix, form in forms_by_prefix:
            name = key[len(prefix) :] if prefix and key.startswith(prefix) else (key if not prefix else None)
            if name and name in form.fields:
                for message in messages:
                    form.add_error(name, message)
                placed = True
                break
    if not placed and forms_by_prefix:
        forms_by_prefix[0][1].add_error(None, exc.message)


class PersonChoiceField(forms.ModelChoiceField):
    """A staff member chosen by name; the login tells two people of one name apart."""

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = PersonChoiceField.label_from_instance
