using EmpowerBot.Channels.BotFramework;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace EmpowerBot.Tests.Channels.BotFramework;

/// <summary>A token already validated is trusted only as long as a fresh validation would accept it.</summary>
public sealed partial class AuthenticationTests
{
    [Fact]
    public async Task A_token_accepted_before_is_rejected_once_it_expires()
    {
        var authenticator = CreateAuthenticator(issuer.CreateOptions());
        var token = issuer.MintToken(lifetime: TimeSpan.FromHours(1));
        Assert.True((await Authenticate(authenticator, token)).Succeeded);

        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(6));

        AssertRejected(await Authenticate(authenticator, token), "token expired");
    }

    [Fact]
    public async Task A_token_accepted_before_is_still_checked_against_each_activitys_channel_and_serviceUrl()
    {
        var authenticator = CreateAuthenticator(issuer.CreateOptions());
        var token = issuer.MintToken();
        Assert.True((await Authenticate(authenticator, token)).Succeeded);

        AssertRejected(await Authenticate(authenticator, token, channelId: "slack"), "signing key does not endorse channel slack");
        AssertRejected(await Authenticate(authenticator, token, serviceUrl: "https://attacker.example.com/"),
            "token serviceurl does not match the activity's serviceUrl");
        var again = await Authenticate(authenticator, token);
        Assert.True(again.Succeeded, again.Failure);
        Assert.Equal(ServiceUrl, again.Identity!.FindFirst("serviceurl")?.Value);
    }

    [Fact]
    public async Task A_token_accepted_before_is_checked_again_once_its_key_is_retired()
    {
        await using var rotating = await TestTokenIssuer.StartAsync();
        var authenticator = CreateAuthenticator(rotating.CreateOptions());
        var old = rotating.MintToken();
        Assert.True((await Authenticate(authenticator, old)).Succeeded);

        rotating.RotateKey(retirePrevious: true);
        // A token with the new key id makes the bot fetch the keys again, and the old key is gone from them.
        Assert.True((await Authenticate(authenticator, rotating.MintToken())).Succeeded);

        AssertRejected(await Authenticate(authenticator, old), "token signed by an unknown key");
    }

    [Fact]
    public async Task A_tampered_copy_of_a_token_accepted_before_is_rejected()
    {
        var authenticator = CreateAuthenticator(issuer.CreateOptions());
        var token = issuer.MintToken();
        Assert.True((await Authenticate(authenticator, token)).Succeeded);

        var signatureStart = token.LastIndexOf('.') + 1;
        var i = signatureStart + 10;
        var tampered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];

        AssertRejected(await Authenticate(authenticator, tampered), "token signature is invalid");
    }
}
