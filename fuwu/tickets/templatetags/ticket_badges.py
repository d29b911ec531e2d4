"""The badge colours of a request's status and priority, the same on every page and in the queue rows."""

from django import template

from fuwu.tickets.presenters import priority_css, status_css

register = template.Library()
register.filter("status_css", status_css)
register.filter("priority_css", priority_css)
