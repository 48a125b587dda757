"""Template filters for the catalogue: the shared proxy value, quantity and measured filters."""

from django import template

from socialvalue.templatetags import numbers

register = template.Library()
register.filter("proxy_value", numbers.proxy_value)
register.filter("quantity", numbers.quantity)
register.filter("measured", numbers.measured)
