using System.Security.Claims;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>The outcome of checking an inbound request's bearer token.</summary>
public sealed record AuthResult(ClaimsIdentity? Identity, string? Failure)
{
    public bool Succeeded => Failure is null;

    public static AuthResult Success(ClaimsIdentity identity) => new(identity, null);

    public static AuthResult Fail(string reason) => new(null, reason);

    /// <summary>
    /// The request could not be checked because the signing keys could not be fetched. Nothing may be processed, but the
    /// fault is ours, not the caller's: answer 503 so the channel retries, rather than 401.
    /// </summary>
    public bool IsTransient { get; init; }

    public static AuthResult Unavailable(string reason) => new(null, reason) { IsTransient = true };

    /// <summary>Local development mode: no token was required.</summary>
    public static readonly AuthResult Anonymous = new(new ClaimsIdentity(), null);
}

/// <summary>Validates the Bot Framework JWT of an inbound activity.</summary>
public interface IChannelAuthenticator
{
    /// <param name="authorizationHeader">The raw Authorization header, or null when absent.</param>
    /// <param name="channelId">The activity's channelId; the signing key must endorse it.</param>
    /// <param name="serviceUrl">The activity's serviceUrl; the token's serviceurl claim must equal it.</param>
    Task<AuthResult> AuthenticateAsync(string? authorizationHeader, string channelId, string serviceUrl, CancellationToken ct);
}
