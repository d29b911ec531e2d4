"""Demo organisation: regions, skills, staff and one login per role (`manage.py seed_demo`).

Everything is created through `fuwu.org.actions` with `actor=None` (the system), so the demo data
is audited like any other change. Output is deterministic for a seed.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from faker import Faker

from fuwu.org import actions
from fuwu.org.models import Department, Group, Region, Skill
from fuwu.org.roles import Role

DEMO_PASSWORD = "fuwu-demo-2026"  # noqa: S105 - documented demo password, shown by `make run`

REGIONS = [("east", "华东"), ("north", "华北"), ("south", "华南")]

SKILLS = [
    ("hvac", "空调维修"),
    ("elevator", "电梯维护"),
    ("network", "网络故障"),
    ("software", "软件部署"),
    ("electrical", "电气安装"),
]


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    username: str
    group: str | None = None  # group code; None for staff outside the service groups
    skills: tuple[str, ...] = ()


DEMO_LOGINS = [
    DemoLogin(Role.ADMIN, "admin"),
    DemoLogin(Role.MANAGER, "manager"),
    DemoLogin(Role.AGENT, "agent", "customer_service"),
    DemoLogin(Role.SUPPORT, "support", "tech_support", ("network", "software")),
    DemoLogin(Role.TECHNICIAN, "technician", "repair", ("hvac", "electrical")),
    DemoLogin(Role.QUALITY_SUPERVISOR, "quality"),
    DemoLogin(Role.FINANCE, "finance"),
    DemoLogin(Role.GENERAL_MANAGER, "gm"),
    DemoLogin(Role.CUSTOMER, "customer"),
]

# The rest of the staff: (role, group, share of the remaining head count).
_STAFF_MIX = [
    (Role.AGENT, "customer_service", 0.35),
    (Role.SUPPORT, "tech_support", 0.25),
    (Role.TECHNICIAN, "repair", 0.40),
]
_SKILLS_FOR_GROUP = {
    "customer_service": (),
    "tech_support": ("network", "software"),
    "repair": ("hvac", "elevator", "electrical", "network"),
}


def demo_state() -> str:
    """"absent", "present" (every demo region and login exists) or "partial"."""
    regions = Region.objects.filter(code__in=[code for code, _ in REGIONS]).count()
    logins = get_user_model().objects.filter(username__in=[d.username for d in DEMO_LOGINS]).count()
    if regions == len(REGIONS) and logins == len(DEMO_LOGINS):
        return "present"
    if regions == 0 and logins == 0:
        return "absent"
    return "partial"


def _mobile(rng: random.Random) -> str:
    prefix = rng.choice(("135", "136", "138", "139", "150", "158", "177", "186", "188", "199"))
    return f"{prefix}{rng.randrange(10**8):08d}"


def seed_regions_and_skills() -> tuple[list[Region], dict[str, Skill]]:
    regions = [actions.region_create(actor=None, code=code, name=name) for code, name in REGIONS]
    skills = {code: actions.skill_create(actor=None, code=code, name=name) for code, name in SKILLS}
    return regions, skills


def seed_staff(*, seed: int, staff: int, regions: list[Region], skills: dict[str, Skill]) -> dict[Role, object]:
    """The demo logins and `staff` staff members in all (at least the eight demo staff logins).

    Returns the demo login for each staff role; the customer login is made with the customers.
    """
    rng = random.Random(f"org-{seed}")
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    groups = {g.code: g for g in Group.objects.all()}
    User = get_user_model()
    logins: dict[Role, object] = {}
    number = 0

    def create(*, username: str, role: Role, group: str | None, skill_codes) -> object:
        nonlocal number
        number += 1
        profile = actions.staff_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            full_name=fake.name(),
            roles=[role],
            employee_no=f"FW{number:04d}",
            phone=_mobile(rng),
            email=f"{username}@fuwu.example",
            group=groups[group] if group else None,
            region=rng.choice(regions),
            skills=[skills[code] for code in skill_codes],
        )
        return User.objects.get(pk=profile.user_id)

    for login in DEMO_LOGINS:
        if login.role == Role.CUSTOMER:
            continue  # created with the customers, named after the contact it belongs to
        logins[login.role] = create(
            username=login.username, role=login.role, group=login.group, skill_codes=login.skills
        )
    actions.staff_grant_superuser(actor=None, user=logins[Role.ADMIN])

    remaining = max(0, staff - len(logins))
    for role, group, share in _STAFF_MIX:
        for _ in range(round(remaining * share)):
            pool = _SKILLS_FOR_GROUP[group]
            chosen = sorted(rng.sample(pool, k=rng.randint(1, min(2, len(pool))))) if pool else []
            create(username=f"fw{number + 1:04d}", role=role, group=group, skill_codes=chosen)

    # The service manager heads the service department; the group logins lead their groups.
    for department, role in (("service", Role.MANAGER), ("gm", Role.GENERAL_MANAGER), ("finance", Role.FINANCE)):
        actions.department_set_head(actor=None, department=Department.objects.get(code=department), head=logins[role])
    for login in DEMO_LOGINS:
        if login.group:
            actions.group_set_leader(actor=None, group=groups[login.group], leader=logins[login.role])
    return logins


def login_lines() -> list[str]:
    """One line per role: role, username, password (what `make run` shows)."""
    width = max(len(d.role.value) for d in DEMO_LOGINS)
    return [f"{d.role.value:<{width}}  {d.username:<10}  {DEMO_PASSWORD}" for d in DEMO_LOGINS]
