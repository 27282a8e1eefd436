package notify

import (
	"bytes"
	"net/http"
	"os"
)

const slackWebhook = "https://hooks.slack.com/services/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"
const slackWorkflow = "https://hooks.slack.com/triggers/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"
const pagerDutyKey = "LGrcQcDukicc5w3RIpOArUTUBO9OEYn8"
const telegramToken = "6058868718:AALGrcJA91J_3i7SAmbP-ksUD8CD_1pNsQR"

var discordWebhook = os.Getenv("DISCORD_WEBHOOK_URL")

func Post(msg string) error {
	req, _ := http.NewRequest("POST", slackWebhook, bytes.NewBufferString(msg))
	req.SetBasicAuth("notifier", "N0tifier-Basic-4")
	_, err := http.DefaultClient.Do(req)
	return err
}
