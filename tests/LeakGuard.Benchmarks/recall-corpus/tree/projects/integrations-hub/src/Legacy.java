package com.acme.hub;

public class Legacy {
    // old Alibaba/Tencent/Yandex integrations, kept for the Q3 migration
    static final String ALIYUN_KEY_ID = "LTAILGrc6hs4jTEA7wKyMNvm";
    static final String ALIYUN_KEY_SECRET = "LGrcTb6zH0l2ak2ZCV9uafviPhtWqt";
    static final String TENCENT_SECRET_ID = "AKIDLGrcqCjVxoMjwjXrlnejEYmGUB1quZMi";
    static final String YANDEX_OAUTH = "y0_LGrceJI7sF5qGlOO7aFVqklzJWffz8Dlt-bc47IQuk5aS2Qbib4nb__";
    static final String TWILIO_KEY_SID = "SKeb4f2a0a5a2ee43f86400bce96a3af8d";
    static final String FACEBOOK_APP_ID = "1234567890123456";
    static final String GITHUB_APP_ID = "412233";
}
