"""Demo materials ledger (R13.2): about forty spare parts and consumables, received into the store,
issued to the demo technicians, some returned. Everything goes through the actions, so the audit
chain and the low-stock notices cover it. Deterministic for a seed; a few hundred actions, quick.
"""

import decimal
import random

from fuwu.core.errors import InvalidInput
from fuwu.materials import actions
from fuwu.materials.models import StockHolding
from fuwu.materials.validation import ItemInput
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding

# code, name, specification, unit, unit cost (yuan), reorder level
ITEMS = [
    ("ZB-001", "工控主板", "X86 双网口 8G 内存", "块", "1850.00", 3),
    ("ZB-002", "控制主板", "ARM Cortex-A53 四核", "块", "960.00", 4),
    ("ZB-003", "显示驱动板", "LVDS 15.6 英寸", "块", "320.00", 5),
    ("DY-001", "开关电源模块", "24V 5A 导轨式", "个", "168.00", 10),
    ("DY-002", "开关电源模块", "12V 10A 机箱式", "个", "145.00", 8),
    ("DY-003", "UPS 电池", "12V 7Ah 铅酸免维护", "节", "118.00", 12),
    ("DY-004", "电源适配器", "19V 3.42A", "个", "65.00", 10),
    ("CG-001", "温度传感器", "PT100 三线制 -50~200℃", "支", "86.00", 15),
    ("CG-002", "压力传感器", "0~1.6MPa 4-20mA", "支", "420.00", 5),
    ("CG-003", "湿度传感器", "RS485 Modbus", "支", "230.00", 6),
    ("CG-004", "光电传感器", "漫反射 NPN 常开", "个", "58.00", 20),
    ("CG-005", "接近开关", "M12 电感式 PNP", "个", "42.00", 20),
    ("MF-001", "O 型密封圈", "φ20×2.4 丁腈橡胶", "个", "1.20", 200),
    ("MF-002", "O 型密封圈", "φ50×3.1 氟橡胶", "个", "3.80", 100),
    ("MF-003", "机械密封", "泵用 25mm 碳化硅", "套", "260.00", 4),
    ("MF-004", "密封垫片", "DN50 石棉橡胶", "片", "6.50", 50),
    ("ZC-001", "深沟球轴承", "6205-2RS", "个", "28.00", 30),
    ("ZC-002", "深沟球轴承", "6308-ZZ", "个", "55.00", 20),
    ("DJ-001", "散热风扇", "12V 120mm 滚珠", "个", "36.00", 20),
    ("DJ-002", "压缩机启动电容", "CBB65 35μF 450V", "个", "32.00", 15),
    ("DJ-003", "交流接触器", "CJX2-1810 220V", "个", "78.00", 10),
    ("DJ-004", "中间继电器", "MY2NJ DC24V 带座", "个", "24.00", 30),
    ("DJ-005", "空气开关", "DZ47-63 C16 2P", "个", "35.00", 20),
    ("DJ-006", "变频器", "0.75kW 220V 单相", "台", "980.00", 2),
    ("DJ-007", "步进电机", "57 系列 1.8° 2.8A", "台", "185.00", 5),
    ("XL-001", "网线", "超五类 非屏蔽", "米", "1.80", 300),
    ("XL-002", "电源线", "RVV 3×1.5mm²", "米", "4.20", 200),
    ("XL-003", "光纤跳线", "LC-LC 单模 3 米", "根", "18.00", 30),
    ("XL-004", "接线端子", "UK2.5B 导轨式", "个", "1.60", 300),
    ("XS-001", "液晶显示屏", "10.1 英寸 1280×800", "块", "450.00", 3),
    ("XS-002", "触摸屏", "电容式 15 英寸", "块", "620.00", 2),
    ("CC-001", "固态硬盘", "SATA 256GB 工业级", "块", "330.00", 5),
    ("CC-002", "内存条", "DDR4 8GB 2666", "条", "210.00", 5),
    ("HC-001", "滤网", "空调初效 595×595", "片", "45.00", 20),
    ("HC-002", "制冷剂", "R410A 11.3kg", "瓶", "680.00", 2),
    ("HC-003", "导热硅脂", "3g 针筒装", "支", "9.00", 30),
    ("HC-004", "扎带", "4×200mm 尼龙 100 根", "包", "8.00", 20),
    ("HC-005", "绝缘胶带", "PVC 18mm×10m", "卷", "3.50", 50),
    ("BJ-001", "保险丝", "5×20mm 2A 慢熔", "盒", "12.00", 20),
    ("BJ-002", "电磁阀", "2W-160-15 DC24V", "个", "95.00", 6),
]


def seed_materials(*, seed: int, actor, log=None) -> int:
    """Register the items, stock the store, issue parts to each technician and take some back; returns items made."""
    rng = random.Random(f"materials-{seed}")
    technicians = sorted(users_holding(Role.TECHNICIAN), key=lambda user: user.pk)
    items = []
    for code, name, spec, unit, cost, level in ITEMS:
        item = actions.item_create(actor=actor, data=ItemInput(
            code=code, name=name, specification=spec, unit=unit, unit_cost=decimal.Decimal(cost), reorder_level=level))
        # Most items well stocked; every eighth one bought just above its reorder level, so the
        # requisitions below take it under and the managers get the low-stock notice.
        plenty = level * rng.randint(2, 5) + rng.randint(0, level)
        quantity = level + rng.randint(1, 2) if len(items) % 8 == 3 else plenty
        actions.stock_receive(actor=actor, item=item, quantity=quantity,
                              reference=f"RK-2026-{len(items) + 1:04d}", note="年度备件采购")
        items.append((item, quantity))
    issued: list[tuple] = []
    for technician in technicians:
        for item, stocked in rng.sample(items, k=min(len(items), rng.randint(4, 8))):
            quantity = max(1, min(stocked // 6, rng.randint(1, max(1, min(20, item.reorder_level // 2)))))
            try:
                actions.stock_requisition(actor=actor, item=item, quantity=quantity, technician=technician,
                                          note="随车备件")
            except InvalidInput:
                continue  # the store ran out for this one: a real store would too
            issued.append((technician, item, quantity))
    # The items bought near their level are drawn down to it (or one below): the store is low there.
    for item, _stocked in items[3::8] if technicians else []:
        store = StockHolding.objects.get(item=item, holder=None).quantity
        if store >= item.reorder_level:
            technician = rng.choice(technicians)
            quantity = max(1, store - item.reorder_level + rng.randint(0, 1))
            actions.stock_requisition(actor=actor, item=item, quantity=quantity, technician=technician,
                                      note="随车备件")
            issued.append((technician, item, quantity))
    for technician, item, quantity in rng.sample(issued, k=len(issued) // 5):
        actions.stock_return(actor=technician, item=item, quantity=rng.randint(1, quantity), note="维修未用完")
    if log:
        log(f"materials: {len(items)} items, {len(issued)} requisitions to {len(technicians)} technicians")
    return len(items)
