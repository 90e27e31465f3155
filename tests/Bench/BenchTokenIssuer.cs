using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EmpowerBot.Bench;

/// <summary>
/// The Bot Connector's token service, for load runs with authentication on: serves OpenID metadata and a JWKS whose
/// key endorses the channel (as login.botframework.com does) on 127.0.0.1, and prints one RS256 token the bots accept,
/// so every benchmarked request pays for a real signature check. Runs until it is stopped.
/// </summary>
/// <remarks>The same protocol as tests/EmpowerBot.Tests/Fixtures/TestTokenIssuer.cs, kept to what a benchmark needs.</remarks>
public static class BenchTokenIssuer
{
    public const string Issuer = "https://api.botframework.com";

    /// <summary>Prints <c>metadata=…</c> and <c>token=…</c> lines once listening, then serves until stopped.</summary>
    public static async Task RunAsync(int port, string appId, string serviceUrl, string channelId, TimeSpan lifetime)
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "bench-" + Guid.NewGuid().ToString("N")[..12] };
        var baseUrl = $"http://127.0.0.1:{port}";

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var metadata = JsonSerializer.Serialize(new
        {
            issuer = Issuer,
            authorization_endpoint = "https://invalid.botframework.com/v1/auth",
            jwks_uri = $"{baseUrl}/v1/.well-known/keys",
            id_token_signing_alg_values_supported = new[] { "RS256" },
            token_endpoint_auth_methods_supported = new[] { "private_key_jwt" },
        });
        var jwks = JsonSerializer.Serialize(new { keys = new[] { Jwk(key, [channelId, "webchat", "emulator"]) } });
        app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Content(metadata, "application/json"));
        app.MapGet("/v1/.well-known/keys", () => Results.Content(jwks, "application/json"));
        await app.StartAsync();

        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = appId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
        Console.WriteLine($"metadata={baseUrl}/v1/.well-known/openidconfiguration");
        Console.WriteLine($"token={token}");
        await app.WaitForShutdownAsync();
    }

    /// <summary>A JWK as the Bot Connector publishes it, with the channels the key endorses.</summary>
    private static Dictionary<string, object> Jwk(RsaSecurityKey key, string[] endorsements)
    {
        var p = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["endorsements"] = endorsements,
        };
    }
}
