# Sidekiq reaches Redis with the password from the environment.
redis_password = ENV.fetch("SIDEKIQ_REDIS_PASSWORD", "Sk-Redis-Queue-9")
web_secret = ENV["SIDEKIQ_WEB_SECRET"] || "LGrc9a1c7d2b8e4f6a0c9d3b7e1f5a2c4e6b"
concurrency = ENV.fetch("SIDEKIQ_CONCURRENCY", "10").to_i
api_token = ENV.fetch("SIDEKIQ_API_TOKEN") { raise "SIDEKIQ_API_TOKEN is not set" }

Sidekiq.configure_server do |config|
  config.redis = { url: ENV.fetch("REDIS_URL", "redis://localhost:6379/1"), password: redis_password }
end
