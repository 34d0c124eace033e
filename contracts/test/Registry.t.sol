// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {SP1TEEProverRegistry} from "../src/SP1TEEProverRegistry.sol";
import {SP1MultiProof} from "../src/SP1MultiProof.sol";
import {MockDcapVerifier} from "../src/mocks/MockDcapVerifier.sol";
import {ReportData} from "../src/interfaces/ISP1TEEProverRegistry.sol";

/// Cheat codes used (forge-std is not available offline).
interface Vm {
    function roll(uint256) external;
    function warp(uint256) external;
    function prank(address) external;
    function expectRevert(bytes calldata) external;
    function expectRevert() external;
    function sign(uint256 pk, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 pk) external pure returns (address);
}

/// A verifier that re-enters register() with the quote it is verifying.
contract ReentrantVerifier {
    SP1TEEProverRegistry internal reg;
    ReportData internal data;
    bool internal entered;
    string public innerReason;
    bool public innerSucceeded;

    function arm(SP1TEEProverRegistry r, ReportData memory d) external {
        reg = r;
        data = d;
    }

    function verifyAndAttestOnChain(bytes calldata q) external payable returns (bool, bytes memory) {
        if (!entered) {
            entered = true;
            try reg.register(data, q) {
                innerSucceeded = true;
            } catch Error(string memory reason) {
                innerReason = reason;
            }
        }
        return (true, "");
    }
}

contract RegistryTest {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 internal constant PROVER_PK = 0xA11CE;

    MockDcapVerifier internal mock;
    SP1TEEProverRegistry internal registry;
    SP1MultiProof internal multi;
    address internal prover;

    function setUp() public {
        vm.roll(1000);
        vm.warp(1_700_000_000);
        mock = new MockDcapVerifier();
        registry = new SP1TEEProverRegistry(address(mock));
        multi = new SP1MultiProof(address(registry));
        prover = vm.addr(PROVER_PK);
    }

    // ---- the simulated quote (src/tdx/sim.c layout, 1258 bytes) -----------

    function simQuote(bytes memory reportData, bytes memory mrtd, uint64 tdAttributes)
        internal
        pure
        returns (bytes memory q)
    {
        q = new bytes(1258);
        q[0] = 0x04;
        q[2] = 0x02;
        q[4] = 0x81;
        bytes memory magic = "SP1TEE-SIMULATED";
        for (uint256 i = 0; i < 16; i++) q[12 + i] = magic[i];
        for (uint256 i = 0; i < 8; i++) q[48 + 120 + i] = bytes1(uint8(tdAttributes >> (8 * i)));
        for (uint256 i = 0; i < 48; i++) q[48 + 136 + i] = mrtd[i];
        for (uint256 i = 0; i < 64; i++) q[568 + i] = reportData[i];
        uint256 sigLen = 1258 - 636;
        q[632] = bytes1(uint8(sigLen));
        q[633] = bytes1(uint8(sigLen >> 8));
    }

    function defaultMrtd() internal pure returns (bytes memory) {
        return "SP1TEE-SIMULATEDSP1TEE-SIMULATEDSP1TEE-SIMULATED";
    }

    function reportDataFor(ReportData memory d) internal pure returns (bytes memory) {
        return abi.encodePacked(bytes12(0), d.proverAddress, keccak256(abi.encode(d)));
    }

    function freshData() internal view returns (ReportData memory d) {
        d.referenceBlockNumber = block.number - 1;
        d.referenceBlockHash = blockhash(block.number - 1);
        d.proverAddress = prover;
    }

    function registerFresh() internal returns (ReportData memory d, bytes memory q) {
        d = freshData();
        q = simQuote(reportDataFor(d), defaultMrtd(), 0);
        registry.register(d, q);
    }

    function err(string memory reason) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("Error(string)", reason);
    }

    function assertTrue(bool b, string memory what) internal pure {
        require(b, what);
    }

    // ---- registration ------------------------------------------------------

    function test_register_then_verify_and_proof() public {
        assertTrue(!registry.verifyAttestedProver(prover), "not yet attested");
        registerFresh();
        assertTrue(registry.verifyAttestedProver(prover), "attested");
        assertTrue(registry.attestedProvers(prover) == block.timestamp, "timestamp");

        bytes32 digest = sha256("vk || public values");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(PROVER_PK, keccak256(abi.encodePacked(digest)));
        multi.verifyTEEProof(abi.encodePacked(digest), abi.encodePacked(r, s, v));
    }

    function test_validity_expires() public {
        registerFresh();
        vm.warp(block.timestamp + 3599);
        assertTrue(registry.verifyAttestedProver(prover), "still valid");
        vm.warp(block.timestamp + 1);
        assertTrue(!registry.verifyAttestedProver(prover), "expired");

        bytes32 digest = sha256("x");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(PROVER_PK, keccak256(abi.encodePacked(digest)));
        vm.expectRevert(abi.encodeWithSelector(SP1MultiProof.Invalid_TEE_Signer.selector, prover));
        multi.verifyTEEProof(abi.encodePacked(digest), abi.encodePacked(r, s, v));
    }

    function test_rejects_stale_block() public {
        ReportData memory d = freshData();
        bytes memory q = simQuote(reportDataFor(d), defaultMrtd(), 0);
        vm.roll(block.number + 99);
        vm.expectRevert(err("block number out-of-date"));
        registry.register(d, q);
    }

    function test_rejects_future_block() public {
        ReportData memory d = freshData();
        d.referenceBlockNumber = block.number;
        vm.expectRevert(err("invalid block number"));
        registry.register(d, simQuote(reportDataFor(d), defaultMrtd(), 0));
    }

    function test_rejects_wrong_block_hash() public {
        ReportData memory d = freshData();
        d.referenceBlockHash = keccak256("not the block hash");
        vm.expectRevert(err("block number mismatch"));
        registry.register(d, simQuote(reportDataFor(d), defaultMrtd(), 0));
    }

    function test_rejects_replayed_quote_also_with_bytes_appended() public {
        (ReportData memory d, bytes memory q) = registerFresh();
        vm.expectRevert(err("report is already used"));
        registry.register(d, q);
        vm.expectRevert(err("report is already used"));
        registry.register(d, abi.encodePacked(q, bytes32(0), "junk"));
        assertTrue(registry.quoteReplayKey(q) == registry.quoteReplayKey(abi.encodePacked(q, "x")), "key");
    }

    function test_rejects_report_data_mismatch() public {
        ReportData memory d = freshData();
        bytes memory q = simQuote(reportDataFor(d), defaultMrtd(), 0);
        ReportData memory other = d;
        other.proverAddress = address(0xBEEF);
        vm.expectRevert(err("report data hash mismatch"));
        registry.register(other, q);
    }

    function test_rejects_prover_address_mismatch() public {
        ReportData memory d = freshData();
        bytes memory rd = abi.encodePacked(bytes12(0), address(0xBEEF), keccak256(abi.encode(d)));
        vm.expectRevert(err("prover address mismatch"));
        registry.register(d, simQuote(rd, defaultMrtd(), 0));
    }

    function test_measurement_policy() public {
        bytes memory good = defaultMrtd();
        bytes memory bad = new bytes(48);
        registry.allowMeasurement(0, good);
        ReportData memory d = freshData();
        vm.expectRevert(err("measurement not allowed: MRTD"));
        registry.register(d, simQuote(reportDataFor(d), bad, 0));
        registry.register(d, simQuote(reportDataFor(d), good, 0));
        assertTrue(registry.verifyAttestedProver(prover), "allowed MRTD registers");

        // RTMR0 policy: the simulated quote's RTMRs are zero.
        registry.allowMeasurement(1, good);
        vm.roll(block.number + 1);
        d = freshData();
        vm.expectRevert(err("measurement not allowed: RTMR0"));
        registry.register(d, simQuote(reportDataFor(d), good, 0));
        registry.revokeMeasurement(1, good);
        registry.register(d, simQuote(reportDataFor(d), good, 0));
    }

    function test_rejects_debug_td_unless_allowed() public {
        ReportData memory d = freshData();
        vm.expectRevert(err("debug TD not allowed"));
        registry.register(d, simQuote(reportDataFor(d), defaultMrtd(), 1));
        registry.setAllowDebugTd(true);
        registry.register(d, simQuote(reportDataFor(d), defaultMrtd(), 1));
    }

    function test_verifier_false_reverts_with_reason() public {
        mock.setReject(true, "collateral expired");
        ReportData memory d = freshData();
        vm.expectRevert(err("quote rejected by verifier: collateral expired"));
        registry.register(d, simQuote(reportDataFor(d), defaultMrtd(), 0));
    }

    function test_mock_rejects_a_non_simulated_quote() public {
        ReportData memory d = freshData();
        bytes memory q = simQuote(reportDataFor(d), defaultMrtd(), 0);
        q[12] = 0x93; // Intel's vendor id starts 939a7233...
        vm.expectRevert(err("quote rejected by verifier: mock: not a simulated quote"));
        registry.register(d, q);
    }

    function test_rejects_truncated_and_non_tdx_quotes() public {
        ReportData memory d = freshData();
        bytes memory q = simQuote(reportDataFor(d), defaultMrtd(), 0);
        bytes memory shortQ = new bytes(700);
        for (uint256 i = 0; i < 700; i++) shortQ[i] = q[i];
        vm.expectRevert(err("quote truncated"));
        registry.register(d, shortQ);
        q[4] = 0x00;
        vm.expectRevert(err("unsupported quote: not TDX"));
        registry.register(d, q);
    }

    function test_reentrant_verifier_cannot_register_the_quote_twice() public {
        ReentrantVerifier rv = new ReentrantVerifier();
        registry.setAttestationImpl(address(rv));
        ReportData memory d = freshData();
        rv.arm(registry, d);
        registry.register(d, simQuote(reportDataFor(d), defaultMrtd(), 0));
        assertTrue(!rv.innerSucceeded(), "inner register succeeded");
        assertTrue(keccak256(bytes(rv.innerReason())) == keccak256("report is already used"), "inner reason");
        assertTrue(registry.verifyAttestedProver(prover), "outer registration");
    }

    function test_owner_setters_are_owner_only() public {
        registry.setAttestValiditySeconds(60);
        assertTrue(registry.attestValiditySeconds() == 60, "validity");
        registry.setMaxBlockNumberDiff(10);
        assertTrue(registry.maxBlockNumberDiff() == 10, "diff");
        registry.setAttestationImpl(address(mock));
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSignature("Unauthorized()"));
        registry.setAttestValiditySeconds(1);
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSignature("Unauthorized()"));
        registry.allowMeasurement(0, defaultMrtd());
        vm.prank(address(0xBAD));
        vm.expectRevert(abi.encodeWithSignature("Unauthorized()"));
        mock.setReject(true, "x");
    }

    function test_multiproof_rejects_malformed_and_high_s_signatures() public {
        registerFresh();
        bytes32 digest = sha256("y");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(PROVER_PK, keccak256(abi.encodePacked(digest)));
        vm.expectRevert(abi.encodeWithSignature("InvalidSignature()"));
        multi.verifyTEEProof(abi.encodePacked(digest), abi.encodePacked(r, s));
        uint256 n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
        bytes32 highS = bytes32(n - uint256(s));
        uint8 flipped = v == 27 ? 28 : 27;
        vm.expectRevert(abi.encodeWithSignature("InvalidSignature()"));
        multi.verifyTEEProof(abi.encodePacked(digest), abi.encodePacked(r, highS, flipped));
        // A valid signature by an unregistered key.
        (v, r, s) = vm.sign(0xB0B, keccak256(abi.encodePacked(digest)));
        vm.expectRevert(abi.encodeWithSelector(SP1MultiProof.Invalid_TEE_Signer.selector, vm.addr(0xB0B)));
        multi.verifyTEEProof(abi.encodePacked(digest), abi.encodePacked(r, s, v));
    }
}
