"""The account service (`riskgraph.services.users`) on a fresh store: who may change
accounts, the last administrator, scope checks, and the audit trail of each change."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from riskgraph.authz import PermissionDenied
from riskgraph.services import users
from riskgraph.services.audit import reset_client_ip, set_client_ip
from riskgraph.store import AuditEntry, session_scope
from riskgraph.store.vocab import Role

PASSWORD = "correct-horse-9"


def changes(session, username):
    return [e.detail["op"] for e in session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "user", AuditEntry.action == "change",
                                    AuditEntry.object_id == username).order_by(AuditEntry.id))]


def test_every_change_is_audited_with_its_actor(store):
    with session_scope(store) as s:
        boss = users.add_user(s, "boss", PASSWORD, Role.ADMIN, scope_org_ids=["*"])
        token = set_client_ip("10.0.0.1")        # as the web app does for each request
        try:
            users.add_user(s, "li", PASSWORD, "inspector", "李", ["O2", "O1"], ["section"],
                           actor=boss)
        finally:
            reset_client_ip(token)
        users.set_access(s, "li", "org_officer", ["O1"], [], actor=boss)
        users.set_password(s, "li", "another-pass-1", actor=boss, one_time=True)
        users.set_active(s, "li", False, actor=boss)
        users.set_active(s, "li", True, actor=boss)
        users.unlock(s, "li", actor=boss)
    with session_scope(store) as s:
        assert changes(s, "li") == ["add", "access", "password", "disable", "enable", "unlock"]
        first, access = s.scalars(sa.select(AuditEntry).where(AuditEntry.object_id == "li")
                                  .order_by(AuditEntry.id).limit(2))
        assert (first.username, first.ip, first.detail["scope_org_ids"]) == ("boss", "10.0.0.1", ["O1", "O2"])
        assert access.detail["before"]["role"] == "inspector"
        assert access.detail["after"] == {"role": "org_officer", "scope_org_ids": ["O1"], "scope_ranks": []}
        # set-up without a signed-in actor (the command line) is audited too
        assert s.scalar(sa.select(AuditEntry).where(AuditEntry.object_id == "boss")).detail["by"] == "system"


def test_only_administrators_change_accounts(store):
    with session_scope(store) as s:
        users.add_user(s, "boss", PASSWORD, Role.ADMIN, scope_org_ids=["*"])
        insp = users.add_user(s, "insp", PASSWORD, Role.INSPECTOR, scope_org_ids=["*"])
        for call in (lambda: users.add_user(s, "x", PASSWORD, "inspector", actor=insp),
                     lambda: users.set_access(s, "insp", "admin", ["*"], [], actor=insp),
                     lambda: users.set_password(s, "boss", "hijacked-pass", actor=insp),
                     lambda: users.set_active(s, "boss", False, actor=insp),
                     lambda: users.unlock(s, "insp", actor=insp)):
            with pytest.raises(PermissionDenied):
                call()
        assert users.by_name(s, "insp").role == Role.INSPECTOR


def test_the_last_active_administrator_stays(store):
    with session_scope(store) as s:
        boss = users.add_user(s, "boss", PASSWORD, Role.ADMIN, scope_org_ids=["*"])
        with pytest.raises(users.UserError, match="至少需要保留一名启用的系统管理员"):
            users.set_active(s, "boss", False, actor=boss)
        with pytest.raises(users.UserError, match="至少需要保留一名"):
            users.set_access(s, "boss", "auditor", [], [], actor=boss)
        deputy = users.add_user(s, "deputy", PASSWORD, Role.ADMIN, scope_org_ids=["*"], actor=boss)
        users.set_active(s, "deputy", False, actor=boss)        # a disabled admin does not count
        with pytest.raises(users.UserError):
            users.set_active(s, "boss", False, actor=boss)
        users.set_active(s, "deputy", True, actor=boss)
        users.set_access(s, "boss", "auditor", [], [], actor=boss)   # another admin is left
        assert (users.by_name(s, "boss").role, deputy.role) == (Role.AUDITOR, Role.ADMIN)
        users.set_access(s, "boss", "inspector", ["*"], [], actor=deputy)  # non-admins: no guard


def test_account_input_is_checked(store):
    with session_scope(store) as s:
        with pytest.raises(users.UserError, match="至少需要8位"):
            users.add_user(s, "li", "short", "inspector")
        with pytest.raises(users.UserError, match="未知的角色"):
            users.add_user(s, "li", PASSWORD, "superuser")
        with pytest.raises(users.UserError, match="空格"):
            users.add_user(s, "li wang", PASSWORD, "inspector")
        with pytest.raises(users.UserError, match="未知的单位：O9"):
            users.add_user(s, "li", PASSWORD, "inspector", scope_org_ids=["O1", "O9"],
                           known_orgs={"O1", "O2"})
        with pytest.raises(users.UserError, match="未知的职级"):
            users.add_user(s, "li", PASSWORD, "inspector", scope_ranks=["general"])
        u = users.add_user(s, "li", PASSWORD, "inspector", scope_org_ids=["O1", "*"],
                           scope_ranks=["section", "division"])
        assert (u.scope_org_ids, u.scope_ranks) == (["*"], ["division", "section"])  # schema order
        with pytest.raises(users.UserError, match="已存在"):
            users.add_user(s, "li", PASSWORD, "inspector")
        with pytest.raises(users.UserError, match="不存在"):
            users.unlock(s, "nobody")


def test_one_time_passwords_differ_and_sign_in(store):
    from datetime import timedelta

    seen = {users.one_time_password() for _ in range(50)}
    assert len(seen) == 50 and not any(c in "".join(seen) for c in "0O1lI")
    with session_scope(store) as s:
        users.add_user(s, "li", PASSWORD, "inspector")
        for _ in range(3):
            users.authenticate(s, "li", "wrong", 3, timedelta(minutes=15))
        assert users.locked_until(users.by_name(s, "li")) is not None
        otp = users.one_time_password()
        users.set_password(s, "li", otp, one_time=True)     # also lifts the lockout
        assert users.locked_until(users.by_name(s, "li")) is None
        assert users.authenticate(s, "li", otp, 3, timedelta(minutes=15)).ok


def test_one_time_passwords_must_be_replaced_by_the_user(store):
    with session_scope(store) as s:
        boss = users.add_user(s, "boss", PASSWORD, Role.ADMIN, scope_org_ids=["*"])
        li = users.add_user(s, "li", "otp-1234-abcd", "inspector", actor=boss, one_time=True)
        assert li.must_change_password
        with pytest.raises(users.UserError, match="当前密码不正确"):
            users.change_own_password(s, li, "wrong", "my-own-pass-1")
        with pytest.raises(users.UserError, match="不能与当前密码相同"):
            users.change_own_password(s, li, "otp-1234-abcd", "otp-1234-abcd")
        with pytest.raises(users.UserError, match="至少需要8位"):
            users.change_own_password(s, li, "otp-1234-abcd", "short")
        users.change_own_password(s, li, "otp-1234-abcd", "my-own-pass-1")
        assert not li.must_change_password
        users.set_password(s, "li", "admin-chosen-1", actor=boss)           # chosen: no change needed
        assert not li.must_change_password
        users.set_password(s, "li", users.one_time_password(), actor=boss, one_time=True)
        assert li.must_change_password
    with session_scope(store) as s:
        assert changes(s, "li") == ["add", "own_password", "password", "password"]
