"""A bank journal with its IBAN, customers with posted invoices, and camt.053 files."""

import base64

from odoo.addons.logistics_canonical.tests.common_api import ApiCase

IBAN = "NL77ABNA0574908765"


class PaymentCase(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": company.partner_id.id}
        )
        cls.journal = cls.env["account.journal"].create(
            {
                "name": "Logistics Bank",
                "code": "LBNK",
                "type": "bank",
                "bank_account_id": bank_account.id,
            }
        )
        cls.currency = company.currency_id.name
        cls.payer = cls.env["res.partner"].create({"name": "Acme Payer", "is_company": True})
        cls.env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": cls.payer.id}
        )
        cls.product = cls.env.ref("logistics_billing.product_freight_linehaul")

    def invoice(self, amount, partner=None):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.payer).id,
                "invoice_line_ids": [
                    (0, 0, {"product_id": self.product.id, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        return move

    def camt(self, entries, statement_id="STMT-1"):
        """A camt.053 statement of ``entries``: (amount, reference, end-to-end id, bank ref)."""
        ntry = "".join(
            f"""
            <Ntry>
              <Amt Ccy="{self.currency}">{amount:.2f}</Amt>
              <CdtDbtInd>CRDT</CdtDbtInd>
              <Sts>BOOK</Sts>
              <BookgDt><Dt>2026-11-20</Dt></BookgDt>
              <AcctSvcrRef>{bank_ref}</AcctSvcrRef>
              <NtryDtls><TxDtls>
                <Refs><EndToEndId>{e2e or 'NOTPROVIDED'}</EndToEndId></Refs>
                <AmtDtls><TxAmt><Amt Ccy="{self.currency}">{amount:.2f}</Amt></TxAmt></AmtDtls>
                <RltdPties>
                  <Dbtr><Nm>Acme Payer</Nm></Dbtr>
                  <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
                </RltdPties>
                <RmtInf>{f'<Strd><CdtrRefInf><Ref>{reference}</Ref></CdtrRefInf></Strd>' if reference else '<Ustrd>thanks</Ustrd>'}</RmtInf>
              </TxDtls></NtryDtls>
            </Ntry>"""
            for amount, reference, e2e, bank_ref in entries
        )
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-{statement_id}</MsgId><CreDtTm>2026-11-20T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{statement_id}</Id>
      <CreDtTm>2026-11-20T18:00:00</CreDtTm>
      <Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>{self.currency}</Ccy></Acct>
      {ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>""".encode()

    def import_camt(self, data, name="statement.xml"):
        wizard = self.env["account.statement.import"].create(
            {"statement_file": base64.b64encode(data), "statement_filename": name}
        )
        return wizard._import_file()
