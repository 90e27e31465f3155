using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>
/// Tokens whose signature, issuer, audience and lifetime were already checked. The Bot Connector sends the same token
/// with every activity until it nears expiry, so a repeat costs a dictionary lookup instead of an RSA verification.
/// An entry is used only for the exact token string it was made from, only until that token expires (plus the clock
/// skew), and only while the signing keys are the very set it was checked against: any refresh of the keys (rotation,
/// the periodic refresh) sends every token through the full check again. What depends on the activity (the channel
/// the key endorses, the serviceUrl) is checked on every request all the same.
/// </summary>
internal sealed class ValidatedTokens
{
    /// <summary>Only tokens that passed are kept, and the Bot Connector uses a handful at a time; this bounds the worst case.</summary>
    internal const int Capacity = 1024;

    private readonly ConcurrentDictionary<string, ValidatedToken> _tokens = new(StringComparer.Ordinal);

    public ValidatedToken? Find(string token, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (!_tokens.TryGetValue(token, out var entry)) return null;
        if (now <= entry.Expires + clockSkew) return entry;
        _tokens.TryRemove(token, out _);
        return null;
    }

    public void Add(string token, ValidatedToken entry, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (_tokens.Count >= Capacity)
        {
            foreach (var (key, old) in _tokens)
            {
                if (now > old.Expires + clockSkew) _tokens.TryRemove(key, out _);
            }
            if (_tokens.Count >= Capacity) return;
        }
        _tokens[token] = entry;
    }

    /// <summary>Forgets a token, e.g. one whose keys were refreshed since it was checked.</summary>
    public void Remove(string token) => _tokens.TryRemove(token, out _);
}

/// <summary>What the full check of one token established, and against which published keys.</summary>
internal sealed record ValidatedToken(
    ClaimsIdentity Identity,
    SigningKeySource Keys,
    OpenIdConnectConfiguration CheckedAgainst,
    bool IsBotFramework,
    string KeyId,
    string? ServiceUrlClaim,
    DateTimeOffset Expires);
