using AiGatewayModels.Engine.Rules;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class CredentialDetectorTests
{
    [Theory]
    [InlineData("sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA")]
    [InlineData("sk-abcdefghijklmnopqrstuv")]
    [InlineData("sk-ant-api03-abcdefghijklmnop")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("ASIAIOSFODNN7EXAMPLE")]
    [InlineData("AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("xoxb-1234567890-abcdefghij")]
    [InlineData("Bearer abcdefghijklmnop")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZWFtLWEifQ.c2lnbmF0dXJlLWJ5dGVz")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015")]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD0159F86D081")]
    [InlineData("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("sk_live_4eC39HqLyjWDarjtT1zdp7dcXyZ")]
    [InlineData("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg==")]
    public void Credential_shapes_are_recognised(string value) => Assert.True(CredentialDetector.LooksLikeCredential(value));

    [Theory]
    [InlineData("api.openai.com")]
    [InlineData("team-a.openai.azure.com")]
    [InlineData("bedrock-runtime.us-east-1.amazonaws.com")]
    [InlineData("anthropic.claude-3-5-sonnet-20240620-v1:0")]
    [InlineData("gpt-4o-mini-2024-07-18")]
    [InlineData("claude-sonnet-4-5-20250929")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData("NousResearch/Nous-Hermes-2-Mixtral-8x7B-DPO")]
    [InlineData("microsoft/Phi-3-mini-128k-instruct-onnx")]
    [InlineData("Qwen/Qwen2-VL-72B-Instruct-AWQ-Int4-GPTQ")]
    [InlineData("google/gemma-2-27b-it-SimPO-37K-100steps")]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Llama-70B")]
    [InlineData("AZURE_OPENAI_API_KEY")]
    [InlineData("openai-credentials")]
    [InlineData("retriable-status-codes")]
    [InlineData("123e4567-e89b-12d3-a456-426614174000")]
    [InlineData("sk-short")]
    [InlineData("a description with spaces that is quite long indeed")]
    [InlineData("")]
    public void Ordinary_values_are_not_flagged(string value) => Assert.False(CredentialDetector.LooksLikeCredential(value));

    [Theory]
    [InlineData("apiKey", true)]
    [InlineData("api_key", true)]
    [InlineData("API-KEY", true)]
    [InlineData("token", true)]
    [InlineData("accessKeyId", true)]
    [InlineData("secretAccessKey", true)]
    [InlineData("client_secret", true)]
    [InlineData("password", true)]
    [InlineData("Authorization", true)]
    [InlineData("apiKeySecretRef", false)]
    [InlineData("tokens", false)]
    [InlineData("hostname", false)]
    [InlineData("keyName", false)]
    public void Credential_field_names_are_recognised(string name, bool expected) => Assert.Equal(expected, CredentialDetector.IsCredentialFieldName(name));
}
