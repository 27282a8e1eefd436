# exported from a notebook: the credentials were pasted as base64 to "hide" them
import base64, json
CREDS = json.loads(base64.b64decode("eyJ1c2VyIjogIm1sIiwgInBhc3N3b3JkIjogIk5iLUhpZGRlbi1QYXNzLTciLCAidG9rZW4iOiAiaGZfTEdyY3lVbWh0S2dlaWlkdnZVWHVRUUNJYlVvdXlOZVVzWiJ9"))
PROXY = "http://svc_proxy:Proxy%40Pass%2124@proxy.acme.io:8080"
