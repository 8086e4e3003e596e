"""Entity type names (public contract); defined in `recognizers.entity_types`."""
from recognizers.entity_types import *  # noqa: F401,F403
from recognizers.entity_types import ALL_TYPES, INDICATOR_TYPES, SENSITIVE_TYPES  # noqa: F401
