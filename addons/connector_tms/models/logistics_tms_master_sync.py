import hashlib
import json
import logging

from odoo import api, fields, models

from odoo.addons.logistics_integration.lib import http_delivery
from odoo.addons.logistics_integration.lib.errors import PermanentError, TransientError

from ..lib.template import MASTER_DATA, TemplateError

_logger = logging.getLogger(__name__)

# What a TMS cannot plan a stop without; a record missing one is refused here,
# alone, and never sent.
REQUIRED = {"customers": ("name",), "locations": ("name", "city", "country")}
# Answers that refuse what we sent (so a smaller batch may pass), not us.
REFUSES_RECORDS = {"http_400", "http_413", "http_422"}


class TmsUnreachable(Exception):
    """The TMS does not take batches now (down, or refuses our credentials)."""


class LogisticsTmsMasterSync(models.AbstractModel):
    """Customers and locations sent to a TMS in batches, off the realtime channel.

    On a schedule (and on demand), one job per TMS on the batch channel: every
    customer and location of the TMS's company written as the template's
    dialect wants, only those changed since they were last taken, in batches.
    One bad record never stops the others: what the hub knows is incomplete is
    refused before sending, what the TMS refuses in its answer is marked, and a
    batch the TMS refuses as a whole is halved until the bad record is alone.
    The TMS takes master data as upserts, so a batch sent again is harmless.
    """

    _name = "logistics.tms.master.sync"
    _description = "TMS Master Data Sync"

    @api.model
    def _cron_sync(self):
        backends = self.env["logistics.backend"].search(
            [("kind", "=", "tms"), ("tms_send_master_data", "=", True)]
        )
        for backend in backends:
            self._enqueue(backend)

    @api.model
    def _enqueue(self, backend):
        return self.with_delay(
            identity_key=f"logistics-tms-master-data-{backend.id}",
            description=f"Send customers and locations to TMS {backend.code}",
        )._sync(backend.id)

    @api.model
    def _sync(self, backend_id):
        """Send what changed; returns the summary the backend shows."""
        backend = self.env["logistics.backend"].browse(backend_id).sudo()
        template = backend._tms_template()
        counts = dict.fromkeys(("sent", "refused", "unchanged", "left"), 0)
        unreachable = ""
        for section in MASTER_DATA:
            if not template.sends(section):
                continue
            known = self._known(backend, section)
            documents = self._documents(backend, section)
            changed = [
                (partner, document)
                for partner, document in documents
                if known.get(partner.id, {}).get("fingerprint") != _fingerprint(document)
            ]
            counts["unchanged"] += len(documents) - len(changed)
            outcomes = [(p, d, _missing(section, d)) for p, d in changed]
            ready = [(p, d) for p, d, problem in outcomes if not problem]
            outcomes = [outcome for outcome in outcomes if outcome[2]]
            size = max(backend.tms_master_batch_size, 1)
            for start in range(0, len(ready), size):
                chunk = ready[start : start + size]
                try:
                    refused = self._send(backend, template, section, chunk)
                except TmsUnreachable as error:
                    unreachable = str(error)
                    counts["left"] += len(ready) - start
                    break
                outcomes += [(p, d, refused.get(d["key"])) for p, d in chunk]
            self._record(backend, section, outcomes, known)
            counts["sent"] += sum(1 for outcome in outcomes if not outcome[2])
            counts["refused"] += sum(1 for outcome in outcomes if outcome[2])
            if unreachable:
                break
        return backend._tms_master_done(counts, unreachable)

    # --- what is sent ------------------------------------------------------------------

    @api.model
    def _documents(self, backend, section):
        """``[(partner, record)]``: the company's customers, or the locations a
        stop can be at (its warehouses and its customers' delivery addresses)."""
        customers = self._customers(backend)
        if section == "customers":
            return [(partner, _customer(partner)) for partner in customers]
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "=", backend.company_id.id)]
        )
        documents = [
            (warehouse.partner_id, _location(warehouse.partner_id, "warehouse", warehouse))
            for warehouse in warehouses
            if warehouse.partner_id
        ]
        addresses = self.env["res.partner"].search(
            [("type", "=", "delivery"), ("parent_id", "in", customers.ids)]
        )
        return documents + [(address, _location(address, "delivery")) for address in addresses]

    @api.model
    def _customers(self, backend):
        return self.env["res.partner"].search(
            [
                ("customer_rank", ">", 0),
                ("parent_id", "=", False),
                ("company_id", "in", [backend.company_id.id, False]),
            ],
            order="id",
        )

    @api.model
    def _known(self, backend, section):
        """``{partner id: {"id", "fingerprint"}}`` of what the TMS has."""
        rows = self.env["logistics.tms.master.record"].search_read(
            [("backend_id", "=", backend.id), ("kind", "=", section)],
            ["partner_id", "fingerprint"],
            load=None,
        )
        return {row["partner_id"]: row for row in rows}

    @api.model
    def _send(self, backend, template, section, chunk):
        """``{key: reason}`` of the refused records of ``chunk``; a batch the
        TMS refuses whole is halved until each bad record is alone."""
        try:
            path, body = template.render_batch(section, [document for _p, document in chunk])
        except TemplateError as error:
            raise TmsUnreachable(str(error)) from error
        headers = {"Content-Type": "application/json"}
        token = backend._secret("api_token")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = (backend.base_url or "").rstrip("/") + path
        try:
            _status, answer = http_delivery.post_json(url, json.dumps(body).encode(), headers)
        except TransientError as error:
            raise TmsUnreachable(str(error)) from error
        except PermanentError as error:
            if error.code not in REFUSES_RECORDS:
                raise TmsUnreachable(str(error)) from error
            if len(chunk) == 1:
                return {chunk[0][1]["key"]: str(error)[:500]}
            half = len(chunk) // 2
            return {
                **self._send(backend, template, section, chunk[:half]),
                **self._send(backend, template, section, chunk[half:]),
            }
        return template.refused(section, answer)

    @api.model
    def _record(self, backend, section, outcomes, known):
        """What the TMS now has of each partner (or why it has nothing new); a
        refused record keeps no fingerprint, so it is tried again next time
        even unchanged (the TMS's rules may change)."""
        # the hub's record, not the person's who clicked Send Now (who only reads it)
        Record = self.env["logistics.tms.master.record"].sudo()
        now = fields.Datetime.now()
        new = []
        for partner, document, reason in outcomes:
            values = {
                "code": document["key"],
                "state": "refused" if reason else "sent",
                "reason": reason or False,
                "fingerprint": False if reason else _fingerprint(document),
                "sent_at": now,
            }
            if partner.id in known:
                Record.browse(known[partner.id]["id"]).write(values)
            else:
                new.append(
                    {**values, "backend_id": backend.id, "partner_id": partner.id, "kind": section}
                )
        Record.create(new)


def _fingerprint(document):
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:32]


def _missing(section, document):
    missing = [name for name in REQUIRED[section] if not document.get(name)]
    return f"{', '.join(missing)} missing" if missing else None


def _address(partner):
    return {
        "street": partner.street or "",
        "city": partner.city or "",
        "zip": (partner.zip or "").strip(),
        "state": partner.state_id.code or "",
        "country": partner.country_id.code or "",
    }


def _customer(partner):
    return {
        "key": partner._tms_customer_code(),
        "name": partner.name or "",
        "vat": partner.vat or "",
        "email": partner.email or "",
        "phone": partner.phone or "",
        **_address(partner),
    }


def _location(partner, kind, warehouse=None):
    customer = partner.commercial_partner_id
    return {
        "key": f"WH-{warehouse.code}"
        if warehouse
        else f"{customer._tms_customer_code()}-{partner.id}",
        "name": partner.name or customer.name or "",
        "kind": kind,
        "customer": "" if warehouse else customer._tms_customer_code(),
        **_address(partner),
    }
