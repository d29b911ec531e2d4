"""Demo customers at any scale (`manage.py seed_demo`, `bench/`): realistic, valid, deterministic.

Records are generated in memory (`demo_records`) and registered through
`customers_register_many`, so demo customers are validated and audited like an Excel import.
Faker (zh_CN) fills pools of names once; a seeded `random.Random` combines them, which keeps
generation fast enough for a million customers.
"""

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from faker import Faker

from fuwu.customers.actions import CustomerRecord, contact_link_portal_user, customers_register_many
from fuwu.customers.identifiers import credit_code_check_char, normalise_phone, resident_id_check_char
from fuwu.customers.models import Contact, CustomerClass, CustomerKind
from fuwu.customers.validation import AddressInput, ContactInput, CustomerInput, ProductInput
from fuwu.org import actions as org_actions
from fuwu.org.roles import Role


@dataclass(frozen=True)
class City:
    region: str  # demo region code
    place: str  # province + city (+ district), the start of an address line
    short: str  # used in organisation names
    area_code: str  # landline area code
    postal_code: str
    division: str  # 6-digit administrative division code (ID numbers, credit codes)


CITIES = [
    City("east", "上海市浦东新区", "上海", "021", "200120", "310115"),
    City("east", "江苏省南京市玄武区", "南京", "025", "210018", "320102"),
    City("east", "江苏省苏州市工业园区", "苏州", "0512", "215021", "320571"),
    City("east", "浙江省杭州市西湖区", "杭州", "0571", "310012", "330106"),
    City("east", "浙江省宁波市海曙区", "宁波", "0574", "315000", "330203"),
    City("east", "山东省青岛市市南区", "青岛", "0532", "266001", "370202"),
    City("east", "安徽省合肥市蜀山区", "合肥", "0551", "230031", "340104"),
    City("east", "福建省厦门市思明区", "厦门", "0592", "361001", "350203"),
    City("north", "北京市朝阳区", "北京", "010", "100020", "110105"),
    City("north", "北京市海淀区", "北京", "010", "100080", "110108"),
    City("north", "天津市滨海新区", "天津", "022", "300450", "120116"),
    City("north", "河北省石家庄市长安区", "石家庄", "0311", "050000", "130102"),
    City("north", "山西省太原市杏花岭区", "太原", "0351", "030001", "140107"),
    City("north", "内蒙古自治区呼和浩特市新城区", "呼和浩特", "0471", "010010", "150102"),
    City("south", "广东省广州市天河区", "广州", "020", "510620", "440106"),
    City("south", "广东省深圳市南山区", "深圳", "0755", "518052", "440305"),
    City("south", "广东省佛山市禅城区", "佛山", "0757", "528000", "440604"),
    City("south", "广东省东莞市", "东莞", "0769", "523000", "441900"),
    City("south", "广西壮族自治区南宁市青秀区", "南宁", "0771", "530022", "450103"),
    City("south", "海南省海口市龙华区", "海口", "0898", "570105", "460106"),
]

# Industry: (weight among organisations, name patterns). {c}=city, {p}=trade name.
INDUSTRIES = {
    "制造业": (30, ["{c}{p}机械制造有限公司", "{c}{p}精密设备有限公司", "{p}电子科技股份有限公司",
                    "{c}{p}汽车零部件有限公司"]),
    "物业管理": (15, ["{c}{p}物业管理有限公司", "{p}物业服务集团有限公司"]),
    "医疗": (10, ["{c}市{p}医院", "{c}{p}医疗器械有限公司", "{c}{p}口腔门诊部"]),
    "教育": (10, ["{c}{p}实验学校", "{c}{p}职业技术学院", "{c}{p}教育科技有限公司"]),
    "零售": (15, ["{c}{p}商贸有限公司", "{p}超市连锁有限公司", "{c}{p}百货有限公司"]),
    "政府机关": (5, ["{c}市{d}区市场监督管理局", "{c}市{d}区行政审批服务局", "{c}市{d}区住房和城乡建设局",
                     "{c}市{d}区政务服务中心"]),
    "能源": (15, ["{c}{p}电力工程有限公司", "{c}{p}燃气有限公司", "{p}新能源科技有限公司", "{c}{p}热力有限公司"]),
}
_INDUSTRY_NAMES = list(INDUSTRIES)
_INDUSTRY_WEIGHTS = [w for w, _ in INDUSTRIES.values()]

TITLES = ["设备主管", "行政经理", "采购经理", "信息中心主任", "后勤科长", "工程部经理", "办公室主任", "总务主任"]

# (product, model prefix, warranty years)
PRODUCTS = [
    ("中央空调机组", "KX-", (1, 3)),
    ("多联机空调系统", "VRF-", (1, 3)),
    ("乘客电梯", "EL-", (2, 3)),
    ("自动扶梯", "ES-", (2, 3)),
    ("核心交换机", "SW-", (1, 3)),
    ("防火墙设备", "FW-", (1, 3)),
    ("机房 UPS 电源", "UPS-", (1, 2)),
    ("低压配电柜", "GGD-", (1, 2)),
    ("ERP 软件部署项目", "ERP-", (1, 1)),
    ("楼宇自控系统", "BA-", (1, 3)),
]

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "170", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184", "185",
    "186", "187", "188", "189", "191", "198", "199",
)
MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "139.com", "aliyun.com")
_CLASS_WEIGHTS = ([CustomerClass.KEY, CustomerClass.VIP, CustomerClass.ORDINARY], [5, 15, 80])
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class _Pools:
    """Faker output drawn once; combining it with the rng is what makes generation fast."""

    surnames: list[str]
    given_names: list[str]
    trade_names: list[str]
    districts: list[str]
    streets: list[str]
    user_names: list[str]


def _pools(seed: int) -> _Pools:
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return _Pools(
        surnames=[fake.last_name() for _ in range(400)],
        given_names=[fake.first_name() for _ in range(400)],
        trade_names=sorted({fake.company_prefix() for _ in range(3000)}),
        districts=sorted({fake.district() for _ in range(200)}),
        streets=sorted({fake.street_name() for _ in range(600)}),
        user_names=sorted({fake.user_name() for _ in range(3000)}),
    )


class DemoCustomerGenerator:
    """Deterministic customer records for a seed; `region_ids` maps demo region codes to ids."""

    def __init__(self, *, seed: int, region_ids: dict[str, int | None], today: datetime.date) -> None:
        self.rng = random.Random(f"customers-{seed}")
        self.pools = _pools(seed)
        self.region_ids = region_ids
        self.today = today
        self.phones: set[str] = set()

    def person_name(self) -> str:
        return self.rng.choice(self.pools.surnames) + self.rng.choice(self.pools.given_names)

    def mobile(self) -> str:
        while True:
            phone = f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def landline(self, city: City) -> str:
        digits = 8 if len(city.area_code) == 3 else self.rng.choice((7, 8))
        return f"{city.area_code}-{self.rng.randint(2, 8)}{self.rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"

    def resident_id(self, city: City) -> str:
        born = datetime.date(1955, 1, 1) + datetime.timedelta(days=self.rng.randrange(48 * 365))
        first17 = f"{city.division}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
        return first17 + resident_id_check_char(first17)

    def credit_code(self, city: City) -> str:
        body = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
        check = 11 - total % 11
        org_code = body + {10: "X", 11: "0"}.get(check, str(check))
        first17 = f"91{city.division}{org_code}"
        return first17 + credit_code_check_char(first17)

    def email(self) -> str:
        user = self.rng.choice(self.pools.user_names)
        return f"{user}{self.rng.randrange(1000)}@{self.rng.choice(MAIL_DOMAINS)}"

    def address(self, city: City) -> AddressInput:
        street = self.rng.choice(self.pools.streets)
        line = f"{city.place}{street}{self.rng.randint(1, 999)}号"
        if self.rng.random() < 0.5:
            line += f"{self.rng.randint(1, 30)}栋{self.rng.randint(1, 28)}{self.rng.randint(1, 20):02d}室"
        region_id = self.region_ids.get(city.region)
        return AddressInput(line=line, label="", region_id=region_id, postal_code=city.postal_code)

    def product(self) -> ProductInput:
        name, model, (low, high) = self.rng.choice(PRODUCTS)
        delivered = self.today - datetime.timedelta(days=self.rng.randint(7, 5 * 365))
        warranty_end = delivered.replace(day=min(delivered.day, 28)).replace(
            year=delivered.year + self.rng.randint(low, high)
        )
        return ProductInput(
            name=name,
            model=f"{model}{self.rng.randint(100, 990)}",
            serial_number=f"SN{delivered:%Y}{self.rng.randrange(10**8):08d}",
            delivered_on=delivered,
            warranty_ends_on=warranty_end,
        )

    def record(self) -> CustomerRecord:
        rng = self.rng
        city = rng.choice(CITIES)
        incomplete = rng.random() < 0.08  # deliberately incomplete records (R2.1 shows them as such)
        customer_class = rng.choices(*_CLASS_WEIGHTS)[0]
        if rng.random() < 0.7:
            industry = rng.choices(_INDUSTRY_NAMES, _INDUSTRY_WEIGHTS)[0]
            name = rng.choice(INDUSTRIES[industry][1]).format(
                c=city.short, p=rng.choice(self.pools.trade_names), d=rng.choice(self.pools.districts)
            )
            customer = CustomerInput(
                kind=CustomerKind.ORGANISATION,
                name=name,
                customer_class=customer_class,
                industry=industry,
                identity_number=self.credit_code(city) if rng.random() < 0.9 else "",
            )
            # Offices often give the switchboard as the main number and a mobile as the other.
            phone, phone_alt = self.mobile(), ""
            if rng.random() < 0.25:
                phone, phone_alt = self.landline(city), phone
            contact = ContactInput(
                name=self.person_name(), title=rng.choice(TITLES), phone=phone, phone_alt=phone_alt,
                email=self.email() if rng.random() < 0.75 else "",
            )
            has_product = rng.random() < 0.85
        else:
            name = self.person_name()
            customer = CustomerInput(
                kind=CustomerKind.PERSON,
                name=name,
                customer_class=customer_class,
                identity_number=self.resident_id(city) if rng.random() < 0.8 else "",
            )
            contact = ContactInput(
                name=name, phone=self.mobile(),
                phone_alt=self.landline(city) if rng.random() < 0.1 else "",
                email=self.email() if rng.random() < 0.5 else "",
            )
            has_product = rng.random() < 0.6
        customer.region_id = self.region_ids.get(city.region)
        record = CustomerRecord(
            customer=customer,
            contact=contact,
            address=self.address(city) if rng.random() < 0.92 else None,
            product=self.product() if has_product else None,
        )
        # Customers of several years: one with a product became ours before its delivery.
        first_day = record.product.delivered_on if record.product else self.today
        first_day -= datetime.timedelta(days=rng.randint(0, 2 * 365 if record.product else 6 * 365))
        record.since = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time(9))) + \
            datetime.timedelta(minutes=rng.randint(0, 9 * 60))
        if incomplete:
            customer.identity_number = ""
            customer.industry = "" if rng.random() < 0.5 else customer.industry
            customer.region_id = None if rng.random() < 0.3 else customer.region_id
            contact.email = ""
            record.address = None if rng.random() < 0.6 else record.address
            record.product = None
        return record

    def records(self, count: int) -> Iterator[CustomerRecord]:
        for _ in range(count):
            yield self.record()


def demo_records(
    *, seed: int, count: int, region_ids: dict[str, int | None] | None = None, today: datetime.date | None = None
) -> list[CustomerRecord]:
    """The first `count` demo records for a seed, without writing anything (tests, previews)."""
    generator = DemoCustomerGenerator(
        seed=seed, region_ids=region_ids or {}, today=today or datetime.date(2026, 1, 1)
    )
    return list(generator.records(count))


def seed_customers(
    *,
    seed: int,
    count: int,
    region_ids: dict[str, int | None],
    today: datetime.date,
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Register `count` demo customers in batches through `customers_register_many`."""
    generator = DemoCustomerGenerator(seed=seed, region_ids=region_ids, today=today)
    done = 0
    while done < count:
        batch = list(generator.records(min(batch_size, count - done)))
        customers_register_many(actor=None, records=batch, source="demo", batch_size=batch_size)
        done += len(batch)
        if progress is not None:
            progress(done, count)
    return done


def seed_portal_login(*, username: str, password: str) -> Contact:
    """The demo customer login: the primary contact of the first key-account organisation with products."""
    contact = (
        Contact.objects.filter(
            customer__customer_class=CustomerClass.KEY,
            customer__kind=CustomerKind.ORGANISATION,
            customer__products__isnull=False,
            is_primary=True,
            user__isnull=True,
        )
        .exclude(email="")
        .select_related("customer")
        .order_by("customer_id")
        .first()
        or Contact.objects.filter(is_primary=True, user__isnull=True).select_related("customer").order_by("id").first()
    )
    if contact is None:
        raise ValueError("No demo customer contact to give a portal login to.")
    profile = org_actions.staff_create(
        actor=None,
        username=username,
        password=password,
        full_name=contact.name,
        roles=[Role.CUSTOMER],
        phone=contact.phone if normalise_phone(contact.phone) else "",
        email=contact.email,
    )
    user = get_user_model().objects.get(pk=profile.user_id)
    return contact_link_portal_user(actor=None, contact=contact, user=user)
