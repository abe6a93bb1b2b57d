"""Error codes of the policy app (stable; the API returns them as `code`). Pure: rules use them too."""

from enum import StrEnum


class PolicyError(StrEnum):
    UNKNOWN_PARAMETER = "policy.unknown_parameter"
    INVALID_VALUE = "policy.invalid_value"
    LOOSENS_NATIONAL = "policy.loosens_national"
    DUPLICATE_EFFECTIVE_DATE = "policy.duplicate_effective_date"
    # Decisions of policy.rules
    PREPAID_MONTHS_EXCEEDED = "policy.prepaid_months_exceeded"
    PREPAID_CLASS_HOURS_EXCEEDED = "policy.prepaid_class_hours_exceeded"
    PREPAID_AMOUNT_EXCEEDED = "policy.prepaid_amount_exceeded"
