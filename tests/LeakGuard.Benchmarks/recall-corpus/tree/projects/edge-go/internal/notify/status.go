package notify

import "net/http"

// The header names the status page and the metadata service expect.
const (
	metadataTokenHeader = "x-aws-ec2-metadata-token"
	statusTokenHeader   = "x-statuspage-api-token"
)

var statuspageToken string = "Sp7wQ2xK9mL4vR8tZ3nB6cJ1"

// nextPageToken is replaced by the first response.
var nextPageToken = "YOUR_PAGE_TOKEN_1234567890"

func postStatus(client *http.Client, body string) error {
	uptimeToken := `Ut3Rk8Zq2Wm7Lx4Vn9Bc6Td1`
	req, _ := http.NewRequest("POST", "https://status.acme.io/api/v1/incidents", nil)
	req.Header.Set(statusTokenHeader, statuspageToken)
	req.Header.Set("X-Uptime-Token", uptimeToken)
	_, err := client.Do(req)
	return err
}
