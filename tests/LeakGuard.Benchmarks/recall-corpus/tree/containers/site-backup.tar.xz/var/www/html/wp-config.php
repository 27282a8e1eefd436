<?php
define( 'DB_NAME', 'acme_site' );
define( 'DB_USER', 'site_wp' );
define( 'DB_PASSWORD', 'Xz-Site-Db-2021' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY', 'LGrc _:<xP9V3[A:O[y3OcUYj+xooj215akxLhqUTWQqg.t#O E3UV}CAY:?+B@d' );
define( 'NONCE_SALT', 'LGrcT;!=1[}K,.m6^_={D)CW5Pqj,d?ZwX{I>Z,Oc,=jG[*LQjl5mQj1^b<~~?V:' );
$table_prefix = 'wp_';
