<?php
// Uploads the built theme to the shared host. Kept for the old hosting plan.
$ftp = ftp_connect('ftp.legacy-host.acme.io');
if (!ftp_login($ftp, 'themes', 'Thm-Upl0ad-Legacy')) {
    exit("login failed\n");
}
ftp_pasv($ftp, true);
foreach (glob(__DIR__ . '/../build/*') as $file) {
    ftp_put($ftp, 'public_html/' . basename($file), $file, FTP_BINARY);
}
ftp_close($ftp);
