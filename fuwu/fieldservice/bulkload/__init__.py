"""Demo field service at scale (`manage.py seed_demo --fast`): the work orders of the requests' year.

`fuwu.fieldservice.demo` plays on-site repairs through the actions, a few hundred at most; this
package gives the on-site requests that `fuwu.tickets.bulkload` wrote their work orders, visits,
product defects and the stock movements of the parts used, through the same rules and without the
ORM. It runs after the requests and the materials ledger are loaded.

- `world`: what it reads, once: the on-site requests (when each went on site, was reached and was
  first resolved, by whom), staff, products, the field calendar, the materials ledger;
- `bookings`: the technicians' booked windows (`fuwu.fieldservice.slots`' rules: no double booking);
- `life`: each work order lived through `fuwu.fieldservice.workflow`'s transition table, with the
  actions' payloads, agreeing with its request's record;
- `ledger`: the parts used, settled in time order (requisitions and receipts where stock runs out);
- `seeder`: the rows and the audit events written in one transaction (COPY on PostgreSQL).

Which requests get a work order, and how many: every on-site request whose recorded arrival fits a
window of the field calendar its technician has free (see `life`). The count is what the demo's
technicians can do: at a few thousand requests most on-site requests that were reached in working
hours; at a million, about three visits per technician and working day.
"""

from fuwu.fieldservice.bulkload.seeder import seed_work_orders_fast

__all__ = ["seed_work_orders_fast"]
