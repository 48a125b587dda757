"""Template filters for the catalogue: the shared proxy value and quantity filters."""

from django import template

from socialvalue.templatetags import numbers

register = template.Library()
register.filter("proxy_value", numbers.proxy_value)
register.filter("quantity", numbers.quantity)
