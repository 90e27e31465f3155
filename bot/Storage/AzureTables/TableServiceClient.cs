using System.Net.Http.Headers;
using System.Text.Json;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// The HTTP conversation with the table service: requests with the OData headers every operation needs, sent
/// through the named client (resilience pipeline and signing), answers read as JSON or as service errors.
/// Whatever the pipeline could not overcome becomes a <see cref="StorageUnavailableException"/> naming the endpoint.
/// </summary>
internal sealed class TableServiceClient(IHttpClientFactory clients, AzureTablesConnection connection)
{
    /// <summary>The endpoint requests are built on; safe to show (it holds no secret).</summary>
    public string Root => connection.Root;

    public static HttpRequestMessage Request(HttpMethod method, string url, byte[]? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Accept", TableRequests.JsonAccept);
        request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        request.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0;NetFx");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await clients.CreateClient(AzureTableStore.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsTransport(e))
        {
            throw new StorageUnavailableException(
                $"The table service at {Root} is unreachable ({e.GetType().Name}: {e.Message}); nothing can be assumed written until it is read back.", e);
        }
    }

    public async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw TableFailures.Unreadable(Root, "invalid JSON", e);
        }
    }

    /// <summary>An entity of an answer; one the bot could not have written means the answer cannot be trusted.</summary>
    public TableEntity ReadEntity(JsonElement json, string? etag)
    {
        try
        {
            return TableEntityJson.Read(json, etag);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            throw TableFailures.Unreadable(Root, e.Message, e);
        }
    }

    public static async Task<TableServiceError> ErrorAsync(HttpResponseMessage response, CancellationToken ct) =>
        TableServiceError.Read((int)response.StatusCode, Header(response, "x-ms-error-code"), await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));

    /// <summary>A response header exactly as received: an ETag must go back to the service unchanged.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? values.ToString() : null;

    // What is left when the pipeline gives up: no connection, timeouts, an open circuit, no Entra token.
    private static bool IsTransport(Exception e) => e is HttpRequestException or OperationCanceledException or Polly.ExecutionRejectedException
        or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException or Azure.RequestFailedException;
}
