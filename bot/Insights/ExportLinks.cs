using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Insights;

/// <summary>What a download link grants: one tenant's month, for one team or ("*") the organisation, until it expires.</summary>
public sealed record ExportGrant(string Tenant, string Team, string Period, string By, DateTimeOffset Expires);

/// <summary>
/// Short-lived signed download links: the grant as base64url JSON and its HMAC-SHA256, so a link cannot be stretched to
/// another team, month or tenant, and stops working when it expires. No state is kept per link.
/// </summary>
public sealed class ExportLinks(ITableStore store, IOptions<ExportOptions> options, TimeProvider clock)
{
    private const string KeyRow = "secret|export";
    private byte[]? key;

    public async Task<(string Token, ExportGrant Grant)> CreateAsync(string tenant, string team, string period, string by, CancellationToken ct)
    {
        var grant = new ExportGrant(tenant, team, period, by, clock.GetUtcNow() + options.Value.LinkLifetime);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(grant));
        return (payload + "." + Base64Url(HMACSHA256.HashData(await KeyAsync(ct), Encoding.ASCII.GetBytes(payload))), grant);
    }

    /// <summary>The grant of a genuine, unexpired token, or the reason it is refused.</summary>
    public async Task<(ExportGrant? Grant, string? Refusal)> VerifyAsync(string? token, CancellationToken ct)
    {
        var parts = (token ?? "").Split('.');
        if (parts.Length != 2 || parts[0].Length is 0 or > 2048) return (null, "This download link is not valid.");
        var expected = HMACSHA256.HashData(await KeyAsync(ct), Encoding.ASCII.GetBytes(parts[0]));
        byte[] given;
        try { given = FromBase64Url(parts[1]); } catch (FormatException) { return (null, "This download link is not valid."); }
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return (null, "This download link is not valid.");
        ExportGrant? grant;
        try { grant = JsonSerializer.Deserialize<ExportGrant>(FromBase64Url(parts[0])); }
        catch (Exception e) when (e is JsonException or FormatException) { return (null, "This download link is not valid."); }
        if (grant is null) return (null, "This download link is not valid.");
        if (clock.GetUtcNow() >= grant.Expires) return (null, "This download link has expired: say **export** to the bot for a new one.");
        return (grant, null);
    }

    private async Task<byte[]> KeyAsync(CancellationToken ct)
    {
        if (key is not null) return key;
        if (options.Value.SigningKey is { Length: > 0 } configured) return key = Encoding.UTF8.GetBytes(configured);
        // One key for every instance: the first stores a random one, the others (and later starts) read it.
        var row = await store.GetAsync(Tables.Organization, OrganizationRows.Partition, KeyRow, ct);
        if (row is null)
        {
            var fresh = new TableEntity(OrganizationRows.Partition, KeyRow, new Dictionary<string, object?> { ["key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            try { await store.InsertAsync(Tables.Organization, fresh, ct); row = fresh; }
            catch (StorageConflictException) { row = await store.GetAsync(Tables.Organization, OrganizationRows.Partition, KeyRow, ct); }
        }
        return key = Convert.FromBase64String(row!.GetString("key")!);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + (4 - b.Length % 4) % 4, '='));
    }
}
