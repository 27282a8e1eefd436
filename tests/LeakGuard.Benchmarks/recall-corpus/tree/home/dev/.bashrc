# ~/.bashrc: executed by bash(1) for non-login shells.
case $- in
    *i*) ;;
      *) return;;
esac

HISTCONTROL=ignoreboth
HISTSIZE=5000
shopt -s histappend checkwinsize

export EDITOR=vim
export PATH="$HOME/.local/bin:$HOME/go/bin:$PATH"
export GOPATH="$HOME/go"

# work
export GITHUB_TOKEN=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
export GH_ENTERPRISE_TOKEN="893b6e7f014a112c380e34b412a39528426f328e"
export NPM_TOKEN=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
export OPENAI_API_KEY="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"
export ANTHROPIC_API_KEY='sk-ant-api03-LGrcPU0aCQIPd_ZTAsAd8UGZ5KFOsDDeII8yQT47OsvyGiXp0ITQOilfN4LoTZdaBLlE-_NRtmWQUsm08sFYavYCFPsVaAA'
export HF_TOKEN=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
export RDS_PASSWORD='rds-Staging-2023'
export IRC_PASS=tulip-quartz-88
export PGPASSWORD="Pg#Local9"
export VAULT_ADDR=https://vault.internal.acme.io:8200
export VAULT_TOKEN=hvs.LGrciA44oCEUV43hpeaMfY4-KoRNHhb-dBtc3daJGNbTtMB1GBmIXrFrjeW4oDjpoEWFDbJ6Ma_4DPZdSYh0Bl3Uij
export DIGITALOCEAN_ACCESS_TOKEN=dop_v1_9df8d851e2885e026f6393b40819c0a4b2dfb930978e41c6233d1944022164b4
export SENTRY_AUTH_TOKEN=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
export DEEPSEEK_API_KEY=sk-604111aeac78b4de9094bae9c0dab982
export MISTRAL_API_KEY=LGrctORHUPccdgPn1fGye9nU8tZp2IDo
export COHERE_API_KEY=LGrcpSJqX1ObIkiSL8osEu5e4MkfOpKV1OVTC8Pe
export TOGETHER_API_KEY=3ab9f2e6934a24e0d8dfa0533a297e6a14dbbcce1c4c7f3ef4cc7f9319c25918

# look-alikes: references, not values
export GITHUB_TOKEN_FILE="$HOME/.config/gh/token"
export AWS_SECRET_ACCESS_KEY="$(pass show aws/secret)"
export DB_PASSWORD="${DB_PASSWORD:-}"
export JIRA_API_TOKEN=$(security find-generic-password -s jira -w)
export SSH_AUTH_SOCK="$XDG_RUNTIME_DIR/ssh-agent.socket"
export PASSWORD_STORE_DIR="$HOME/.password-store"

alias ll='ls -alF'
alias k=kubectl
alias gs='git status -sb'
[ -f ~/.fzf.bash ] && source ~/.fzf.bash
