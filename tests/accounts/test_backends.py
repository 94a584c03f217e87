"""Permissions read in one query: a person's own and their role's, as Django's ModelBackend
gives them."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import RoleBackend
from accounts.models import User
from accounts.roles import Role
from tests.factories import staff


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no permissions cached on it


def test_a_role_and_a_persons_own_permissions_are_read_in_one_query(soho):
    frontline = staff(Role.FRONTLINE, soho)
    frontline.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    user = fresh(frontline)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("cases.add_case")  # the role's
        assert user.has_perm("admin.view_logentry")  # their own
        assert not user.has_perm("cases.delete_case")
    assert len(queries) == 1


def test_the_same_permissions_as_djangos_own_backend(soho):
    for role in Role:
        user = staff(role, soho)
        assert RoleBackend().get_all_permissions(fresh(user)) == {
            *RoleBackend().get_user_permissions(fresh(user)),
            *RoleBackend().get_group_permissions(fresh(user)),
        }


def test_an_inactive_person_has_none(soho):
    user = staff(Role.OWNER, soho, is_active=False)
    assert not fresh(user).has_perm("cases.view_case")


def test_a_superuser_has_every_permission(soho):
    user = User.objects.create_superuser("root", "root@example.com", "x")
    assert RoleBackend().get_all_permissions(fresh(user)) == {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }
