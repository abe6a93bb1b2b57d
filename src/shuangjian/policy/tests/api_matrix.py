"""policy's endpoints in the role-scope matrix: public rules, readable by every signed-in role."""

from shuangjian.core.testing.matrix import register_endpoint

register_endpoint(name="policy.effective_get", method="GET", path="/api/v1/policy/effective")
register_endpoint(name="policy.parameter_list", method="GET", path="/api/v1/policy/parameters")
