<?php
// legacy intranet, do not touch
$dbhost = "localhost";
$dbuser = "intranet";
$dbpasswd = 'pass123';
$dbname = "intranet";

define('SMTP_HOST', 'mail.acme.io');
define('SMTP_USER', 'noreply@acme.io');
define('SMTP_PASS', 'N0reply-Mail');
define('RECAPTCHA_SECRET', '6LLGrcceXP7CyBIt4IYkHe6JcP5-xXhs-TfyBWCO');
define('RECAPTCHA_SITE_KEY', '6LLGrcW9w1T7jq1x3LIllYwv6Kf-Dcv7M2Uux2Rf');
define('MAPS_API_KEY', 'AIzaLGrcIldnEU5jmERXpp0K45dqHRs3REgqQV_');
define('SESSION_SECRET', '7531049bfe3734477d9ef4cefa7670eae8c8aaffc444816f540934c6703e6c72');
define('PASSWORD_RESET_URL', 'https://intranet.acme.io/reset.php?token=');
define('ADMIN_PASSWORD_HASH', '$2y$10$LGrcYx8c7mK0w1h2VbN8OeW9qX3zT6uJ5pA4rS2dF1gH0jK9lQe.6');

$config['ldap_bind_pw'] = "Ldap-Bind-2019";
$config['api_token'] = getenv('INTRANET_API_TOKEN');
$mysqli = new mysqli($dbhost, $dbuser, $dbpasswd, $dbname);
