import hashlib

from odoo import models


class AccountStatementImportCamtParser(models.AbstractModel):
    """Each camt entry gets an identity, so that a statement imported twice
    (or a bank re-sending entries under a new statement id) creates each line
    once; and the end-to-end id is kept apart for matching."""

    _inherit = "account.statement.import.camt.parser"

    def parse_entry(self, ns, node):
        details = node.xpath("./ns:NtryDtls/ns:TxDtls", namespaces={"ns": ns}) or [None]
        entry_ref = _first(ns, node, "./ns:AcctSvcrRef", "./ns:NtryRef")
        for index, (transaction, detail) in enumerate(
            zip(super().parse_entry(ns, node), details, strict=False)
        ):
            end_to_end = _first(ns, detail, "./ns:Refs/ns:EndToEndId")
            if end_to_end and end_to_end != "NOTPROVIDED":
                transaction["end_to_end_id"] = end_to_end
            transaction["unique_import_id"] = _entry_identity(
                entry_ref,
                _first(ns, detail, "./ns:Refs/ns:AcctSvcrRef", "./ns:Refs/ns:TxId"),
                index,
                transaction,
            )
            yield transaction


def _first(ns, node, *xpaths):
    if node is None:
        return ""
    for xpath in xpaths:
        found = node.xpath(f"{xpath}/text()", namespaces={"ns": ns})
        if found and found[0].strip():
            return found[0].strip()
    return ""


def _entry_identity(entry_ref, transaction_ref, index, transaction):
    """The bank's references when it gives them; else what the entry says
    (date, amount, references), which a re-sent entry says again."""
    if entry_ref or transaction_ref:
        return f"{entry_ref}/{transaction_ref or index}"
    said = "|".join(
        str(transaction.get(key) or "")
        for key in ("date", "amount", "ref", "payment_ref", "end_to_end_id", "account_number")
    )
    return "h:" + hashlib.sha256(f"{said}|{index}".encode()).hexdigest()[:32]
