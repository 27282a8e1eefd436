require "octokit"

class GithubSync
  TOKEN = "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".freeze

  def client
    @client ||= Octokit::Client.new(access_token: TOKEN)
  end

  def app_client
    Octokit::Client.new(access_token: ENV.fetch("GITHUB_APP_TOKEN"))
  end

  def slack
    Slack::Web::Client.new(token: "xoxb-310562068721-9109425994759-LGrcSOUyDI9eQ7fYgZMY81Ob")
  end

  def twilio
    Twilio::REST::Client.new("ACae8beff9a26d58bf7d1148af0c1589cd", "16383b79d0eede99d8ba37e1cf5a797a")
  end
end
