"""The ``html_datetime`` filter, a built-in of every template (settings.TEMPLATES)."""

from django import template

from commentary.moments import html_datetime

register = template.Library()
register.filter("html_datetime", html_datetime)
