<?php

return [
    'default' => env('MAIL_MAILER', 'smtp'),
    'mailers' => [
        'smtp' => [
            'transport' => 'smtp',
            'host' => env('MAIL_HOST', 'smtp.mailgun.org'),
            'port' => env('MAIL_PORT', 587),
            'username' => env('MAIL_USERNAME', 'postmaster@mg.acme-shop.example'),
            'password' => env('MAIL_PASSWORD', 'Mg-Smtp#2023-shop'),
        ],
        'backup' => [
            'transport' => 'smtp',
            'username' => env('BACKUP_MAIL_USERNAME'),
            'password' => env('BACKUP_MAIL_PASSWORD', ''),
        ],
    ],
    'api_secret' => env('MAIL_API_SECRET', 'LGrcHq4vN8xLt2wKz5vM3qT8'),
];
