"""No input makes a page answer 500 (R4.9 aside): every form on the pages each role reaches is sent bad input.

The pages are crawled from the home page, one link deep, as each role (a ticket and a customer of
theirs in the data); every form found, GET or POST, is submitted with generated values for each of
its fields (Hypothesis: overflowing numbers, impossible dates, control characters, markup, very
long text, other fields' choices) and the CSRF token it carries. Every answer must be below 500.
Bounded so the suite stays fast: `FUZZ_EXAMPLES` rounds over all forms (`FUWU_FUZZ_EXAMPLES`).
"""

import os
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = max(1, int(os.environ.get("FUWU_FUZZ_EXAMPLES", "12")) // 3)
SKIP = ("/logout", "/static/", "/media/", "/admin", "/api/", "/i18n/")
NASTY = ["", " ", "²", "٣", "１２", "-1", "0", "9" * 30, str(2**63), "1e309", "NaN", "0001-01-01", "9999-12-31",
         "2026-02-30", "2026-12-02T25:61", "\x00", "a\x00b", "<script>alert(1)</script>", "' OR 1=1 --",
         "x" * 5000, "陈" * 300, "true", "on", "[]", "{}"]
VALUES = st.one_of(st.sampled_from(NASTY), st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80),
                   st.integers(min_value=-(2**70), max_value=2**70).map(str))


def _crawl(client: Client, starts: list[str]) -> list[dict]:
    """Every distinct form on the start pages and the pages they link to (one step), as method, action and fields."""
    pages, forms, seen = list(starts), {}, set()
    for depth in (0, 1):
        found = []
        for url in pages:
            if url in seen or url.startswith(SKIP):
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            document = lxml.html.fromstring(response.content)
            if depth == 0:
                found += [urlsplit(urljoin(url, href)).path for href in document.xpath("//a/@href")
                          if href.startswith("/") and not href.startswith("//")]
            for form in document.forms:
                action = urlsplit(urljoin(url, form.action or url)).path
                if action.startswith(SKIP):
                    continue
                method = (form.method or "GET").upper()
                fields = {}
                for element in form.inputs:
                    name = element.get("name")
                    if not name:
                        continue
                    kind = (element.get("type") or element.tag).lower()
                    options = [o.get("value", o.text or "") for o in element.xpath(".//option")]
                    fields[name] = {"kind": kind, "value": element.get("value", ""), "options": options}
                key = (method, action, tuple(sorted(fields)))
                forms.setdefault(key, {"method": method, "action": action, "fields": fields})
        pages = list(dict.fromkeys(found))[:60]
    return list(forms.values())


def _submit(client: Client, form: dict, values: dict) -> int:
    if form["method"] == "GET":
        return client.get(form["action"], {k: v for k, v in values.items() if isinstance(v, str)}).status_code
    return client.post(form["action"], values).status_code


@pytest.mark.parametrize("role", ["agent", "manager", "technician"])
def test_no_form_input_makes_a_server_error(role):
    agent = make_staff("agent")
    customer = make_customer(agent, name="华新电子有限公司", phone="13800138000")
    user = agent if role == "agent" else make_staff(role)
    ticket = make_ticket(agent, customer_id=customer.pk)
    client = Client()
    client.force_login(user)
    forms = _crawl(client, ["/", "/tickets/", f"/tickets/{ticket.pk}/", "/customers/", f"/customers/{customer.pk}/",
                            "/tickets/new/", "/standards/", "/notifications/"])
    assert forms, "no form found to fuzz"

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def every_form_with_bad_values(data):
        for form in forms:
            values: dict = {}
            for name, field in form["fields"].items():
                if name == "csrfmiddlewaretoken":
                    values[name] = field["value"]
                elif field["kind"] == "file":
                    values[name] = SimpleUploadedFile("fuzz.bin", data.draw(VALUES).encode())
                elif field["options"] and data.draw(st.booleans()):
                    values[name] = data.draw(st.sampled_from(field["options"]))
                else:
                    values[name] = data.draw(VALUES)
            status = _submit(client, form, values)
            assert status < 500, (form["method"], form["action"], values)

    every_form_with_bad_values()
