var builder = WebApplication.CreateBuilder(args);
builder.Services.AddStackExchangeRedisCache(o => o.Configuration = "orders-cache:6379,password=Cache-Orders-5");
builder.Services.AddHttpClient("openai", c => c.DefaultRequestHeaders.Add("Authorization", "Bearer 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"));
builder.Services.AddHttpClient("cohere", c => c.DefaultRequestHeaders.Add("Authorization", $"Bearer {builder.Configuration["Cohere:Key"]}"));
var app = builder.Build();
app.MapGet("/", () => "orders");
app.Run();
