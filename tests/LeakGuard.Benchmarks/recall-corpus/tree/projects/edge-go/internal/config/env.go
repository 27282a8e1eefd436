package config

import "os"

func getEnv(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

var (
	ListenAddr    = getEnv("EDGE_LISTEN_ADDR", ":8443")
	SigningSecret = getEnv("EDGE_SIGNING_SECRET", "LGrc2b8e4f6a0c9d3b7e1f5a2c4e6b8d1f3a")
	UpstreamToken = getEnv("EDGE_UPSTREAM_TOKEN", "")
	CachePassword = getEnv("EDGE_CACHE_PASSWORD", "Edge-Cache-77x")
	TokenHeader   = getEnv("EDGE_TOKEN_HEADER", "X-Edge-Token")
)
