package notify

// Meraki dashboard alerts for the edge sites.
var merakiApiKey string = "3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f80"

var merakiOrgKey = `meraki-org-edge-sites`

const merakiBaseURL string = "https://api.meraki.com/api/v1"
