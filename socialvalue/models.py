"""The socialvalue app's models, defined in its parts and re-exported here.

Django finds an app's models through this module; migrations and other apps import them from here
(`socialvalue.models.UserManager` is named by migration 0001).
"""

from socialvalue.act.models import *  # noqa: F403
from socialvalue.core.models import *  # noqa: F403
from socialvalue.definitions.models import *  # noqa: F403
from socialvalue.reports.models import *  # noqa: F403
