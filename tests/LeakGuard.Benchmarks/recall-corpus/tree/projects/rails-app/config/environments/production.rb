Rails.application.configure do
  config.secret_key_base = ENV.fetch("SECRET_KEY_BASE")
  config.action_mailer.smtp_settings = {
    address: "smtp.sendgrid.net",
    user_name: "apikey",
    password: Rails.application.credentials.dig(:sendgrid, :api_key),
    authentication: :plain
  }
  config.active_record.encryption.primary_key = "LGrcOCFIefsRd2UHmGhlisiHfjej3sE7"
end
