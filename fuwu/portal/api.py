"""The customer's own requests over the API (R3.1, R2.2): read-only, scoped like the portal's pages.

`/api/v1/tickets` is the staff's and answers 403 to a customer; here a portal login (session or
token) reads its own customer's requests and the customer-visible timeline of each, nothing else.
"""

import datetime

from django.core.paginator import Paginator
from ninja import Router, Schema

from fuwu.org.policy import Perm, require
from fuwu.portal.selectors import PAGE_SIZE, access_request, customer_status, request_timeline, requests_of

router = Router(tags=["portal"])


class RequestOut(Schema):
    number: str
    title: str
    status: str
    status_label: str
    updated_at: datetime.datetime


class RequestPage(Schema):
    items: list[RequestOut]
    page: int
    pages: int
    count: int


class ItemOut(Schema):
    at: datetime.datetime
    kind: str
    text: str
    html: str
    detail: str
    author: str
    files: list[str]


class RequestDetailOut(RequestOut):
    service_type: str
    received_at: datetime.datetime
    description: str
    resolution: str
    timeline: list[ItemOut]


def _row(ticket) -> dict:
    return {"number": ticket.number, "title": ticket.title, "status": ticket.status,
            "status_label": customer_status(ticket.status), "updated_at": ticket.updated_at}


@router.get("/requests", response=RequestPage, summary="The caller's own customer's requests, newest first")
def request_list(request, page: int = 1):
    require(request.auth, Perm.PORTAL_USE)
    qs = requests_of(request.auth).only("number", "title", "status", "updated_at").order_by("-id")
    found = Paginator(qs, PAGE_SIZE).get_page(page)
    return {"items": [_row(t) for t in found.object_list], "page": found.number,
            "pages": found.paginator.num_pages, "count": found.paginator.count}


@router.get("/requests/{number}", response=RequestDetailOut,
            summary="One of the caller's requests with its customer-visible timeline; another customer's is 404")
def request_detail(request, number: str):
    require(request.auth, Perm.PORTAL_USE)
    ticket = access_request(request.auth, number)
    timeline = [{"at": i.at, "kind": i.kind, "text": i.text, "html": i.html, "detail": i.detail, "author": i.author,
                 "files": [a.name for a in i.attachments]} for i in request_timeline(request.auth, ticket)]
    return {**_row(ticket), "service_type": str(ticket.service_type), "received_at": ticket.received_at,
            "description": ticket.description, "resolution": ticket.resolution, "timeline": timeline}
