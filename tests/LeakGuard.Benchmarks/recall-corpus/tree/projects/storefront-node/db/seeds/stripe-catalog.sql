INSERT INTO plans (name, stripe_price_id, stripe_product_id) VALUES ('pro', 'price_1LGrcQ2eZvKYlo2C8xVb4Nw7', 'prod_LGrcP9x2QwErTy');
INSERT INTO customers (email, stripe_customer_id) VALUES ('jane@acme.io', 'cus_LGrcN4b8Xq2WzY');
INSERT INTO events (source, external_id) VALUES ('twilio', 'SMb2ecd5488d57958a7d532eca3242aa8e');
INSERT INTO settings (k, v) VALUES ('ga_measurement_id', 'G-LGRC4X8Q2N');
INSERT INTO users (email, password_hash) VALUES ('seed@acme.io', NULL);
