"""Bases for the admin: it writes nothing itself (docs/architecture.md, Actions; R4.9).

A model an administrator configures in the admin has an `ActionAdmin`: the admin's forms check
shapes, `save_through_action` calls the app's action (which checks permission and version, and
writes the audit event), and an error the action raises is shown on the form with the input kept.
Every other model has a `ReadOnlyAdmin`. Nothing is deleted in the admin.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse

from fuwu.core.errors import FuwuError

_ACTION_ERROR = "_fuwu_action_error"


class VersionedAdminForm(forms.ModelForm):
    """Carries the row's `version` as the editor saw it, hidden, for the action's stale-edit check
    (docs/architecture.md, Actions). List "version" in `Meta.fields`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].required = False
            self.fields["version"].widget = forms.HiddenInput()


class ActionAdmin(admin.ModelAdmin):
    """Adds and changes go through an action; its typed error (InvalidInput, Conflict, …) is a form error.

    Subclasses implement `save_through_action`. When the action refuses, the whole save is rolled
    back and the form is shown again, bound to what was posted, with the error beside its field.
    """

    def save_through_action(self, request: HttpRequest, form: forms.ModelForm, formsets: list,
                            change: bool) -> models.Model:
        """Call the action(s) for the posted form (and inline formsets); return the saved object."""
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FuwuError as exc:
            if request.method != "POST" or hasattr(request, _ACTION_ERROR):
                raise
            setattr(request, _ACTION_ERROR, exc)  # the second pass shows the form with the error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, _ACTION_ERROR, None)
        if error is None:
            return form_class

        class WithActionError(form_class):
            def clean(self):
                cleaned = super().clean()
                for key, messages in error.errors.items():
                    for message in messages:
                        self.add_error(key if key in self.fields else None, message)
                if not error.errors:
                    self.add_error(None, error.message)
                return cleaned

        return WithActionError

    def save_model(self, request, obj, form, change) -> None:
        """Saved with its inlines in `save_related`, through the action."""

    def save_related(self, request, form, formsets, change) -> None:
        saved = self.save_through_action(request, form, formsets, change)
        form.instance.pk = saved.pk  # the admin's redirect and log name the saved object
        form.instance.refresh_from_db()

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Business records are changed through the app's actions, not the admin: look, don't touch."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
