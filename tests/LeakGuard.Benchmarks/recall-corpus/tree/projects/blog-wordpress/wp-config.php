<?php
/**
 * The base configuration for WordPress
 *
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
define( 'DB_NAME', 'acme_blog' );
define( 'DB_USER', 'blog_wp' );
define( 'DB_PASSWORD', 'Wp-Blog-Db-2022' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

/**#@+
 * Authentication unique keys and salts.
 */
define( 'AUTH_KEY',         'LGrc4qDezi3S}XPlWxg4$(`hYX^;}p<+_BPKH,rQQmB?9U=9,8asJ}_6{g3DB[ H' );
define( 'SECURE_AUTH_KEY',  'LGrc9b>)X2fmyDn0`~bNTjPy%ms3jy%IuPnT2y%;~R#0gg<OL<}(;hQMY$TZI8Gn' );
define( 'LOGGED_IN_KEY',    'LGrcEy)a|sh|3{_(3zhvQ<rk[$`Ve5c}>0$fojD9=c)dm1umLP{D`U&^fJ MU`,-' );
define( 'NONCE_KEY',        'LGrca^5%K8&>#:5jVg;*&f:K(]fk5jr;{w~ug3QgOEGlq< S$pu8>eRss3h}awXe' );
define( 'AUTH_SALT',        'LGrc+iFOaX3^gn&l1^Yjs#4ypFim$|nYBpD{G%}j?Fufl3!I@gqMJvB {YI`R^{E' );
define( 'SECURE_AUTH_SALT', 'LGrclUPZpjui{3&07c]HPHlf`E2D6s UE_u$_dM}M&g9E]x:Gk3a&xsX26=Dd%>M' );
define( 'LOGGED_IN_SALT',   'LGrcp} j!r^K&8=iBx[9`G#$A2d<$x#=ccd0F?RZ-}M[-)TpA}dAzYIT:0P6c^.v' );
define( 'NONCE_SALT',       'LGrc(^%zxnhJ:KI0?>=&i~5*a_6!2[1]l6t4KQH$g. 6bJn,[$zQmd4ueJflRu3]' );
/**#@-*/

define( 'WP_MAIL_SMTP_PASS', 'Smtp-Blog-31' );
define( 'AS3CF_SETTINGS', serialize( array(
    'provider' => 'aws',
    'access-key-id' => 'AKIALGRC5IBORJRZP6WA',
    'secret-access-key' => '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',
) ) );
define( 'JETPACK_STAGING_MODE', true );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
