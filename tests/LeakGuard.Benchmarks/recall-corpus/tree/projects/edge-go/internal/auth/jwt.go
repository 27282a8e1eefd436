package auth

import "github.com/golang-jwt/jwt/v5"

var signingKey = []byte("89a0742d19ca72618feeb12bbe61df65b47a5830e972ee6ca4dba78630a42410")

const tokenHeader = "Authorization"
const apiKeyQueryParam = "api_key"

func Parse(token string) (*jwt.Token, error) {
	return jwt.Parse(token, func(*jwt.Token) (any, error) { return signingKey, nil })
}
