<?php
use PHPMailer\PHPMailer\PHPMailer;

class Mailer
{
    public static function create(): PHPMailer
    {
        $mail = new PHPMailer(true);
        $mail->isSMTP();
        $mail->Host = 'smtp.office365.com';
        $mail->SMTPAuth = true;
        $mail->Username = 'alerts@acme.io';
        $mail->Password = 'Alerts-O365-Pass';
        $mail->SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS;
        $mail->Port = 587;
        return $mail;
    }

    public static function fromEnv(): PHPMailer
    {
        $mail = self::create();
        $mail->Password = $_ENV['SMTP_PASSWORD'];
        return $mail;
    }
}
