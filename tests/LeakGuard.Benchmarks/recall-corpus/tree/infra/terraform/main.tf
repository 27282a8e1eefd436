terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
    mongodbatlas = { source = "mongodb/mongodbatlas" }
  }
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "prod/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region     = var.region
  access_key = "AKIALGRCSUMKYZWZCNYA"
  secret_key = "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"
}

provider "mongodbatlas" {
  public_key  = "lgrcqzvt"
  private_key = "98e2f2c9-a184-4543-a153-ef09a73b3c98"
}

provider "heroku" {
  email   = "ops@acme.io"
  api_key = "25d967bc-92f7-4fee-a83f-4d21159ce777"
}

provider "fastly" {
  api_key = "LGrcbHzWLkqWTclJS4eXlnYnXu6-uK3d1NyWS8Nb"
}

resource "aws_db_instance" "main" {
  identifier        = "acme-prod"
  engine            = "postgres"
  instance_class    = "db.r6g.large"
  username          = var.db_username
  password          = var.db_password
  allocated_storage = 100
}

resource "random_password" "api" {
  length  = 32
  special = true
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = ""
}
