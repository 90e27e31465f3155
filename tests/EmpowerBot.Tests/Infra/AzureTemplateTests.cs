using System.Text.Json;
using System.Text.Json.Nodes;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Infra;

/// <summary>infra/azuredeploy.json: the resources a production deployment needs, and every setting the app reads wired.</summary>
public sealed class AzureTemplateTests
{
    private static readonly JsonNode Template = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "azuredeploy.json")))!;

    private static JsonNode Resource(string type) =>
        Template["resources"]!.AsArray().Single(r => (string?)r!["type"] == type)!;

    private static Dictionary<string, string> AppSettings() => Resource("Microsoft.Web/sites")["properties"]!["siteConfig"]!["appSettings"]!
        .AsArray().ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!);

    [Fact]
    public void The_template_deploys_a_linux_dotnet_10_web_app_https_only_with_a_health_check_and_a_managed_identity()
    {
        var site = Resource("Microsoft.Web/sites");
        Assert.True((bool)site["properties"]!["httpsOnly"]!);
        Assert.Equal("DOTNETCORE|10.0", (string?)site["properties"]!["siteConfig"]!["linuxFxVersion"]);
        Assert.Equal("/healthz", (string?)site["properties"]!["siteConfig"]!["healthCheckPath"]);
        Assert.Equal("SystemAssigned", (string?)site["identity"]!["type"]);
        Assert.True((bool)Resource("Microsoft.Web/serverfarms")["properties"]!["reserved"]!);
    }

    [Fact]
    public void The_web_app_reaches_tables_by_managed_identity_with_the_table_data_contributor_role()
    {
        var role = Resource("Microsoft.Authorization/roleAssignments");
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", Template["variables"]!["tableDataContributor"]!.ToString());
        Assert.Contains("identity.principalId", role["properties"]!["principalId"]!.ToString());
        Assert.False((bool)Resource("Microsoft.Storage/storageAccounts")["properties"]!["allowSharedKeyAccess"]!);
        var settings = AppSettings();
        Assert.Equal("AzureTables", settings["Storage__Provider"]);
        Assert.Contains("primaryEndpoints.table", settings["Storage__TableEndpoint"]);
        Assert.DoesNotContain("Storage__ConnectionString", settings.Keys);
    }

    [Fact]
    public void The_azure_bot_points_at_the_web_app_and_has_the_teams_channel()
    {
        var bot = Resource("Microsoft.BotService/botServices");
        Assert.Contains("/api/messages", bot["properties"]!["endpoint"]!.ToString());
        Assert.Equal("SingleTenant", (string?)bot["properties"]!["msaAppType"]);
        var teams = Resource("Microsoft.BotService/botServices/channels");
        Assert.Equal("MsTeamsChannel", (string?)teams["properties"]!["channelName"]);
        Assert.True((bool)teams["properties"]!["properties"]!["isEnabled"]!);
    }

    [Fact]
    public void Every_production_setting_the_app_needs_is_wired()
    {
        var settings = AppSettings();
        foreach (var key in new[] { "ASPNETCORE_ENVIRONMENT", "MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppType", "MicrosoftAppTenantId", "Storage__Provider", "Storage__TableEndpoint" })
        {
            Assert.True(settings.ContainsKey(key), $"{key} is not set by the template");
        }
        Assert.Equal("Production", settings["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("SingleTenant", settings["MicrosoftAppType"]);
    }

    [Fact]
    public void Every_app_setting_names_a_key_the_app_documents_in_appsettings_json()
    {
        var documented = Flatten(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "appsettings.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!, "");
        foreach (var key in AppSettings().Keys.Where(k => k != "ASPNETCORE_ENVIRONMENT"))
        {
            Assert.True(documented.Contains(key.Replace("__", ":")), $"{key} is not a key of appsettings.json");
        }
    }

    [Fact]
    public void Secrets_come_in_as_secure_parameters_only()
    {
        var parameters = Template["parameters"]!.AsObject();
        var settings = AppSettings();
        foreach (var secret in new[] { "MicrosoftAppPassword", "Billing__SigningSecret", "Slack__SigningSecret", "Slack__BotToken", "QuietTime__SignalsSecret" })
        {
            var parameter = settings[secret].Replace("[parameters('", "").Replace("')]", "");
            Assert.Equal("securestring", (string?)parameters[parameter]!["type"]);
        }
    }

    private static HashSet<string> Flatten(JsonNode node, string prefix)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                var key = prefix.Length == 0 ? name : $"{prefix}:{name}";
                keys.Add(key);
                if (child is not null) keys.UnionWith(Flatten(child, key));
            }
        }
        return keys;
    }
}
