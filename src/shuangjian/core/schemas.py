from ninja import Schema


class RoleAssignmentOut(Schema):
    role: str
    role_label: str
    scope_label: str


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[RoleAssignmentOut]
