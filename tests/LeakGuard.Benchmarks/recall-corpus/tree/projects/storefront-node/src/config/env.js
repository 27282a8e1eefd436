// Central place for settings read from the environment.
export const port = Number(process.env.PORT || 3000);
export const nodeEnv = process.env.NODE_ENV ?? 'development';
export const sessionSecret = process.env.SESSION_SECRET || 'keyboard cat';
export const jwtSecret = process.env.JWT_SECRET || 'LGrc4kP9zQ2wX7vN1mB8cT5rY3hJ6dF0';
export const searchApiKey = process.env.SEARCH_API_KEY ?? "LGrcq8ZtV2mLw9Rk4xNb7PcJ3sYd";
export const smtpPassword = process.env.SMTP_PASSWORD || 'Sm7p-Store!front';
export const cdnToken = process.env.CDN_TOKEN || '';
export const csrfTokenHeader = process.env.CSRF_TOKEN_HEADER || 'x-csrf-token';
export const apiKeyHeaderName = process.env.API_KEY_HEADER || 'x-api-key-v2';
export const analyticsPassword = `Rp7-Report!2024`;
export const exportPassword = `${process.env.EXPORT_PREFIX}-${process.env.EXPORT_SUFFIX}`;
