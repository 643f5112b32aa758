using AiGatewayModels.Webhook;

// The admission webhook for values ConfigMaps and the objects generated from them. See README "Webhook".
var app = WebhookApp.Build(args);
await app.RunAsync();
