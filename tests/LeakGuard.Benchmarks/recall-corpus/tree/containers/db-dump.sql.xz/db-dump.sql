-- MySQL dump 10.13  Distrib 8.0.36
CREATE TABLE `integrations` (`id` int NOT NULL, `name` varchar(64), `api_key` varchar(255), PRIMARY KEY (`id`));
INSERT INTO `integrations` VALUES (1,'stripe','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');
INSERT INTO `integrations` VALUES (2,'sendgrid','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');
INSERT INTO `integrations` VALUES (3,'analytics',NULL);
CREATE TABLE `settings` (`k` varchar(64), `v` varchar(255));
INSERT INTO `settings` VALUES ('smtp_password','Dump-Smtp-Pass-6');
INSERT INTO `settings` VALUES ('password_min_length','12');
