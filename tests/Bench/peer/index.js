// The peer EmpowerBot is measured against: the echo bot of the official Bot Framework SDK for JavaScript, as in the
// 02.echo-bot sample (restify + CloudAdapter + ConfigurationBotFrameworkAuthentication), with authentication on.
// tests/Bench/run.sh starts it with PORT, MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and
// ToBotFromChannelOpenIdMetadataUrl (the harness's token issuer) in the environment.
const restify = require('restify');
const { AuthenticationConstants } = require('botframework-connector');
const {
    ActivityHandler,
    CallerIdConstants,
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    MessageFactory,
} = require('botbuilder');

class EchoBot extends ActivityHandler {
    constructor() {
        super();
        this.onMessage(async (context, next) => {
            const replyText = `Echo: ${context.activity.text}`;
            await context.sendActivity(MessageFactory.text(replyText, replyText));
            await next();
        });
    }
}

// Naming the channel's metadata URL switches the SDK to explicit parameters, so the public cloud's other values are
// given too (the SDK's own constants): the token issuer it checks and the login used for outbound calls.
const botFrameworkAuthentication = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: process.env.MicrosoftAppId,
    MicrosoftAppPassword: process.env.MicrosoftAppPassword,
    MicrosoftAppType: process.env.MicrosoftAppType || 'MultiTenant',
    MicrosoftAppTenantId: process.env.MicrosoftAppTenantId || '',
    ToBotFromChannelOpenIdMetadataUrl: process.env.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
});

const adapter = new CloudAdapter(botFrameworkAuthentication);
adapter.onTurnError = async (context, error) => {
    console.error(`[onTurnError] unhandled error: ${error}`);
    await context.sendActivity('The bot encountered an error or bug.');
};

const bot = new EchoBot();
const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(Number(process.env.PORT || 3978), '127.0.0.1', () => {
    console.log(`peer=http://127.0.0.1:${server.address().port}/api/messages`);
});
