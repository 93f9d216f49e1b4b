from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestApiRoutes(HttpCase):
    """What every path under /logistics/v1 answers: JSON, as documented."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["logistics.backend"].create({"name": "Client", "code": "client"})
        _record, cls.key = cls.env["logistics.backend.key"]._generate(cls.backend)

    def get(self, path, **headers):
        return self.url_open(path, headers={"Authorization": f"Bearer {self.key}", **headers})

    def assert_json_error(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(response.json()["error"]["code"], code)

    def test_a_message_id_that_is_no_number_is_a_json_404(self):
        for message_id in ("abc", "1.5", "-1", "99999999999999999999"):
            with self.subTest(message_id=message_id):
                self.assert_json_error(
                    self.get(f"/logistics/v1/messages/{message_id}"), 404, "not_found"
                )

    def test_a_message_of_its_own_backend_is_shown(self):
        Message = self.env["logistics.integration.message"]
        [(message_id, _state, _dup)] = Message._insert(
            [
                {
                    "backend_id": self.backend.id,
                    "company_id": self.backend.company_id.id,
                    "direction": "inbound",
                    "idempotency_key": "k",
                    "payload": "{}",
                }
            ]
        )
        body = self.get(f"/logistics/v1/messages/{message_id}").json()
        self.assertEqual((body["message_id"], body["state"]), (message_id, "queued"))
        other = self.env["logistics.backend"].create({"name": "Other", "code": "other"})
        _record, other_key = self.env["logistics.backend.key"]._generate(other)
        response = self.url_open(
            f"/logistics/v1/messages/{message_id}",
            headers={"Authorization": f"Bearer {other_key}"},
        )
        self.assert_json_error(response, 404, "not_found")

    def test_a_correlation_id_out_of_its_documented_shape_is_refused(self):
        for value in ("x" * 129, "has space", "ünïcode"):
            with self.subTest(value=value[:10]):
                response = self.get("/logistics/v1/messages/1", **{"X-Correlation-ID": value})
                self.assert_json_error(response, 400, "invalid_correlation_id")
        response = self.get("/logistics/v1/messages/1", **{"X-Correlation-ID": "a" * 128})
        self.assertEqual(response.json()["correlation_id"], "a" * 128)

    def test_unknown_paths_and_methods_answer_json(self):
        self.assert_json_error(self.get("/logistics/v1/nothing/here"), 404, "not_found")
        response = self.url_open("/logistics/v1/messages/1", data=b"{}")  # POST
        self.assert_json_error(response, 405, "method_not_allowed")
        self.assertEqual(response.headers["Allow"], "GET")

    def test_the_openapi_document_names_the_public_base_url(self):
        self.env["ir.config_parameter"].set_param(
            "logistics.public_base_url", "https://hub.example.com/"
        )
        document = self.url_open("/logistics/v1/openapi.json").json()
        self.assertEqual(document["servers"], [{"url": "https://hub.example.com"}])
        self.assertIn("/logistics/v1/messages/{message_id}", document["paths"])
