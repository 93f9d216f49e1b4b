"""The integration administrators' group, for field groups and for choosing
who is asked to act (a plain module: importing it defines no model)."""

ADMIN_GROUP = "logistics_integration.group_integration_admin"


def integration_admins(env):
    """The people who administer integrations (not the superuser, who is no one)."""
    return env.ref(ADMIN_GROUP).users.filtered(lambda user: not user._is_superuser())
